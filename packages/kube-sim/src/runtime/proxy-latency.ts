import { KubeObject } from '../api/types';
import { JsonObject } from '../util/objects';

/**
 * Whether a container image is the one a latency is configured for: the same reference, or one
 * that ends with it after a `/` (`proxyv2:1.30.3` matches `docker.io/istio/proxyv2:1.30.3`).
 */
export function imageMatches(image: string, configured: string): boolean {
  return image === configured || image.endsWith(`/${configured}`);
}

/**
 * What simulated mesh proxies add to each request a pod receives through a Service's loopback
 * proxy, keyed by the proxy's image: a test (or `--proxy-latency`) makes one revision's proxies
 * slower than another's, so a benchmark through the dev cluster tells them apart. The proxies
 * stay simulated; this is a delay on the pod's inbound path, not a measured Envoy.
 */
export class ProxyLatency {
  private readonly byImage = new Map<string, number>();

  constructor(initial: Record<string, number> = {}) {
    for (const [image, ms] of Object.entries(initial)) this.set(image, ms);
  }

  /** Sets the delay of an image's proxies; 0 removes it. */
  set(image: string, ms: number): void {
    if (!image || !Number.isFinite(ms) || ms < 0) {
      throw new Error(
        `proxy latency: want an image and a non-negative number of milliseconds, got ${JSON.stringify(
          image,
        )}=${ms}`,
      );
    }
    if (ms === 0) this.byImage.delete(image);
    else this.byImage.set(image, ms);
  }

  /**
   * Milliseconds the pod's running containers add to each inbound request: its containers and
   * native sidecars (init containers with `restartPolicy: Always`). Other init containers, such
   * as `istio-init` with the same image as the proxy, have ended before traffic arrives.
   */
  forPod(pod: KubeObject): number {
    if (this.byImage.size === 0) return 0;
    const spec = (pod.spec ?? {}) as JsonObject;
    const containers = [
      ...((spec.initContainers ?? []) as JsonObject[]).filter(
        c => c.restartPolicy === 'Always',
      ),
      ...((spec.containers ?? []) as JsonObject[]),
    ];
    let total = 0;
    for (const c of containers) {
      const image = typeof c.image === 'string' ? c.image : '';
      // One delay per container, even when two configured references name its image.
      let own = 0;
      for (const [configured, ms] of this.byImage) {
        if (imageMatches(image, configured)) own = Math.max(own, ms);
      }
      total += own;
    }
    return total;
  }
}
