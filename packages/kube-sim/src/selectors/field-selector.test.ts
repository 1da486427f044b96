import { ApiError } from '../server/status';
import {
  checkFieldSelector,
  matchesFields,
  parseFieldSelector,
} from './field-selector';

describe('field selectors', () => {
  const pod = {
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { nodeName: 'kube-sim' },
    status: { phase: 'Running' },
  };
  const event = {
    metadata: { name: 'e', namespace: 'default' },
    involvedObject: {
      kind: 'Pod',
      name: 'web-1',
      namespace: 'default',
      uid: 'u1',
    },
    reason: 'Started',
    source: { component: 'kubelet' },
  };

  it('matches comma-ANDed terms with =, == and !=', () => {
    expect(
      matchesFields(
        parseFieldSelector('metadata.name=web-1,status.phase=Running'),
        pod,
      ),
    ).toBe(true);
    expect(
      matchesFields(
        parseFieldSelector('metadata.name==web-1,status.phase!=Running'),
        pod,
      ),
    ).toBe(false);
    expect(
      matchesFields(
        parseFieldSelector('spec.nodeName=kube-sim,metadata.namespace=default'),
        pod,
      ),
    ).toBe(true);
    expect(
      matchesFields(
        parseFieldSelector(
          'involvedObject.uid=u1,involvedObject.kind=Pod,involvedObject.name=web-1,source=kubelet',
        ),
        event,
      ),
    ).toBe(true);
    expect(matchesFields(parseFieldSelector(''), pod)).toBe(true);
  });

  it('checks the fields a resource supports', () => {
    expect(() =>
      checkFieldSelector(parseFieldSelector('status.phase=Running'), 'pods'),
    ).not.toThrow();
    expect(() =>
      checkFieldSelector(
        parseFieldSelector('status.phase=Running'),
        'configmaps',
      ),
    ).toThrow('field label not supported: status.phase');
    expect(() =>
      checkFieldSelector(parseFieldSelector('involvedObject.name=x'), 'events'),
    ).not.toThrow();
    expect(() => parseFieldSelector('nonsense')).toThrow(ApiError);
  });
});
