import { imageTag, sortVersions } from './images';

describe('imageTag', () => {
  it.each([
    ['docker.io/istio/pilot:1.24.2', '1.24.2'],
    ['cr.l5d.io/linkerd/proxy:stable-2.14.10', 'stable-2.14.10'],
    ['istio/proxyv2:1.23.4-distroless', '1.23.4-distroless'],
    ['localhost:5000/istio/pilot:1.24.2', '1.24.2'],
    ['docker.io/istio/pilot:1.24.2@sha256:abcdef', '1.24.2'],
  ])('reads the tag of %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it.each([
    ['docker.io/istio/pilot'],
    ['localhost:5000/istio/pilot'],
    ['docker.io/istio/pilot@sha256:abcdef'],
    [''],
    [undefined],
  ])('has no tag for %s', image => {
    expect(imageTag(image)).toBeUndefined();
  });
});

describe('sortVersions', () => {
  it('sorts naturally and drops duplicates and blanks', () => {
    expect(
      sortVersions(['1.24.2', '1.9.0', undefined, '1.23.4', '1.24.2', '']),
    ).toEqual(['1.9.0', '1.23.4', '1.24.2']);
    expect(sortVersions(['stable-2.14.10', 'stable-2.14.9'])).toEqual([
      'stable-2.14.9',
      'stable-2.14.10',
    ]);
  });
});
