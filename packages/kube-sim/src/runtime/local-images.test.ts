import {
  containerArgv,
  imageRepository,
  matchLocalImage,
  parseLocalImageFlag,
} from './local-images';

const loadgen = {
  command: ['/usr/bin/node', '/repo/packages/loadgen/bin/meshperf'],
};
const echo = { ...loadgen, args: ['server'] };

describe('local images', () => {
  it.each([
    ['meshstage/loadgen', 'meshstage/loadgen'],
    ['meshstage/loadgen:0.1.0', 'meshstage/loadgen'],
    ['docker.io/meshstage/loadgen:latest', 'meshstage/loadgen'],
    ['meshstage/loadgen@sha256:abcd', 'meshstage/loadgen'],
    ['localhost:5000/meshstage/loadgen:1', 'localhost:5000/meshstage/loadgen'],
    ['nginx:1.25', 'nginx'],
  ])('%s is repository %s', (image, repo) => {
    expect(imageRepository(image)).toBe(repo);
  });

  it('matches by repository, ignoring tags on both sides', () => {
    const images = { 'meshstage/loadgen:0.1.0': loadgen };
    expect(matchLocalImage(images, 'meshstage/loadgen:0.2.0')).toBe(loadgen);
    expect(matchLocalImage(images, 'meshstage/loadgen-x')).toBeUndefined();
    expect(
      matchLocalImage(images, 'docker.io/istio/proxyv2:1.22.0'),
    ).toBeUndefined();
  });

  it('builds argv with Kubernetes command/args rules over ENTRYPOINT/CMD', () => {
    expect(containerArgv(echo, undefined, undefined)).toEqual([
      ...loadgen.command,
      'server',
    ]);
    expect(containerArgv(echo, undefined, ['http://x/'])).toEqual([
      ...loadgen.command,
      'http://x/',
    ]);
    // a command naming the entrypoint runs the local entrypoint
    expect(
      containerArgv(echo, ['meshperf', 'server'], ['--port', '9']),
    ).toEqual([...loadgen.command, 'server', '--port', '9']);
    expect(containerArgv(echo, ['/usr/local/bin/meshperf'], undefined)).toEqual(
      loadgen.command,
    );
    // any other command runs as written
    expect(containerArgv(echo, ['sh', '-c'], ['exit 3'])).toEqual([
      'sh',
      '-c',
      'exit 3',
    ]);
  });

  it('parses the --local-image flag', () => {
    expect(parseLocalImageFlag('meshstage/loadgen=/usr/bin/node  /m')).toEqual([
      'meshstage/loadgen',
      { command: ['/usr/bin/node', '/m'] },
    ]);
    expect(
      parseLocalImageFlag('e={"command":["n"],"args":["server"]}'),
    ).toEqual(['e', { command: ['n'], args: ['server'] }]);
    expect(() => parseLocalImageFlag('=x')).toThrow(/want <image>=<command/);
    expect(() => parseLocalImageFlag('e={"command":[]}')).toThrow(
      /want \{"command"/,
    );
    expect(() => parseLocalImageFlag('e={bad')).toThrow(
      /invalid --local-image JSON/,
    );
  });
});
