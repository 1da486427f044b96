import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { delayStream } from './delay-stream';
import { imageMatches, ProxyLatency } from './proxy-latency';

/** A pod; init containers given as `sidecar:<image>` are native sidecars (restartPolicy Always). */
const pod = (containers: string[], initContainers: string[] = []) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'n' },
  spec: {
    initContainers: initContainers.map((image, i) => ({
      name: `init${i}`,
      image: image.replace(/^sidecar:/, ''),
      ...(image.startsWith('sidecar:') ? { restartPolicy: 'Always' } : {}),
    })),
    containers: containers.map((image, i) => ({ name: `c${i}`, image })),
  },
});

describe('simulated proxy latency', () => {
  it('matches an image by its whole reference or a trailing part after a slash', () => {
    const image = 'docker.io/istio/proxyv2:1.30.3';
    expect(imageMatches(image, image)).toBe(true);
    expect(imageMatches(image, 'proxyv2:1.30.3')).toBe(true);
    expect(imageMatches(image, 'istio/proxyv2:1.30.3')).toBe(true);
    expect(imageMatches(image, 'proxyv2:1.30')).toBe(false);
    expect(imageMatches(image, 'v2:1.30.3')).toBe(false);
    expect(
      imageMatches('docker.io/istio/proxyv2:1.29.6', 'proxyv2:1.30.3'),
    ).toBe(false);
  });

  it('adds the delay of each matching running container, native sidecars included, once per container', () => {
    const latency = new ProxyLatency({
      'proxyv2:1.30.3': 200,
      'docker.io/istio/proxyv2:1.30.3': 250,
      'linkerd/proxy:edge-26.8.3': 7,
    });
    expect(
      latency.forPod(
        pod(['meshstage/echo:0.1.0', 'docker.io/istio/proxyv2:1.30.3']),
      ),
    ).toBe(250);
    expect(
      latency.forPod(
        pod(
          ['meshstage/echo:0.1.0'],
          ['sidecar:cr.l5d.io/linkerd/proxy:edge-26.8.3'],
        ),
      ),
    ).toBe(7);
    // Istio's injection: istio-init (an init container that has ended) has the proxy's image.
    expect(
      latency.forPod(
        pod(
          ['meshstage/echo:0.1.0', 'docker.io/istio/proxyv2:1.30.3'],
          ['docker.io/istio/proxyv2:1.30.3'],
        ),
      ),
    ).toBe(250);
    expect(
      latency.forPod(
        pod(['meshstage/echo:0.1.0', 'docker.io/istio/proxyv2:1.29.6']),
      ),
    ).toBe(0);
    latency.set('docker.io/istio/proxyv2:1.30.3', 0);
    latency.set('proxyv2:1.30.3', 0);
    expect(
      latency.forPod(
        pod(['meshstage/echo:0.1.0', 'docker.io/istio/proxyv2:1.30.3']),
      ),
    ).toBe(0);
    expect(() => latency.set('proxyv2:1.30.3', -1)).toThrow(/non-negative/);
  });
});

describe('delayStream', () => {
  afterEach(() => jest.useRealTimers());

  it('hands every chunk on the delay after it arrived, in order, and ends after the last', async () => {
    // Stream events travel on process.nextTick: only the timers are faked.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    const settle = () => new Promise(resolve => setImmediate(resolve));
    const delay = delayStream(300);
    const out: string[] = [];
    let finished = false;
    delay.on('data', (c: Buffer) => out.push(c.toString()));
    delay.on('end', () => {
      finished = true;
    });
    delay.write('a');
    await settle();
    jest.advanceTimersByTime(100);
    delay.write('b');
    delay.end();
    await settle();
    jest.advanceTimersByTime(199);
    await settle();
    expect(out).toEqual([]);
    jest.advanceTimersByTime(1);
    await settle();
    expect(out).toEqual(['a']);
    expect(finished).toBe(false);
    jest.advanceTimersByTime(99);
    await settle();
    expect(out).toEqual(['a']);
    jest.advanceTimersByTime(1);
    await settle();
    expect(out).toEqual(['a', 'b']);
    expect(finished).toBe(true);
  });

  it('passes a whole stream through unchanged', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => `chunk-${i};`);
    let received = '';
    await pipeline(
      Readable.from(chunks),
      delayStream(1),
      new Writable({
        write(c, _e, done) {
          received += c.toString();
          done();
        },
      }),
    );
    expect(received).toBe(chunks.join(''));
  });
});
