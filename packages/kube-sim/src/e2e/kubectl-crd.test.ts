import {
  eventually,
  kubectlFixture,
  KubectlFixture,
  tableRows,
} from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd], categories: [all]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color}
    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1, description: How big the widget is.}
              color: {type: string, enum: [red, blue], default: red}
              labels: {type: object, additionalProperties: {type: string}}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Cluster
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;

const widget = (name: string, spec: string) => `apiVersion: example.com/v1
kind: Widget
metadata: {name: ${name}}
spec: ${spec}
`;

describe('CustomResourceDefinitions with kubectl', () => {
  let f: KubectlFixture;
  beforeAll(async () => {
    f = await kubectlFixture();
  });
  afterAll(() => f.close());

  it('creates CRDs that become established and served', async () => {
    const out = await f.ok(['create', '-f', f.file('crd.yaml', CRD)]);
    expect(out).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    expect(
      (
        await f.ok([
          'wait',
          '--for=condition=Established',
          'crd/widgets.example.com',
          '--timeout=120s',
        ])
      ).trim(),
    ).toBe(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met',
    );
    const crd = JSON.parse(
      await f.ok(['get', 'crd', 'widgets.example.com', '-o', 'json']),
    );
    expect(crd.status.acceptedNames).toMatchObject({
      kind: 'Widget',
      plural: 'widgets',
      singular: 'widget',
      shortNames: ['wd'],
      listKind: 'WidgetList',
    });
    expect(
      crd.status.conditions.map(
        (c: { type: string; status: string }) => `${c.type}=${c.status}`,
      ),
    ).toEqual(
      expect.arrayContaining(['NamesAccepted=True', 'Established=True']),
    );
    const rows = tableRows(await f.ok(['get', 'crd']));
    expect(rows[0]).toEqual(['NAME', 'CREATED AT']);
    const resources = await f.ok(['api-resources', '--api-group=example.com']);
    expect(resources).toMatch(
      /widgets\s+wd\s+example\.com\/v1\s+true\s+Widget/,
    );
    expect(resources).toMatch(
      /gadgets\s+example\.com\/v1alpha1\s+false\s+Gadget/,
    );
  });

  it('applies and lists custom objects with their printer columns', async () => {
    expect(
      (
        await f.ok([
          'apply',
          '-f',
          f.file('w1.yaml', widget('w1', '{size: 3}')),
        ])
      ).trim(),
    ).toBe('widget.example.com/w1 created');
    expect(
      (
        await f.ok([
          'apply',
          '-f',
          f.file('w1.yaml', widget('w1', '{size: 3}')),
        ])
      ).trim(),
    ).toBe('widget.example.com/w1 unchanged');
    expect(
      (
        await f.ok([
          'apply',
          '-f',
          f.file('w1.yaml', widget('w1', '{size: 5, color: blue}')),
        ])
      ).trim(),
    ).toBe('widget.example.com/w1 configured');
    const rows = tableRows(await f.ok(['get', 'widgets']));
    expect(rows[0]).toEqual(['NAME', 'SIZE', 'COLOR', 'READY', 'AGE']);
    // no status yet: the Ready cell is empty
    expect(rows[1].slice(0, 3)).toEqual(['w1', '5', 'blue']);
    expect(rows[1][3]).toMatch(/^(\d+[smhd])+$/); // an age: 5s, or 2m3s on a slow run
    await f.ok(['apply', '-f', f.file('w2.yaml', widget('w2', '{size: 1}'))]);
    const w2 = JSON.parse(await f.ok(['get', 'wd', 'w2', '-o', 'json']));
    expect(w2.spec).toEqual({ size: 1, color: 'red' });
    expect(w2.metadata.generation).toBe(1);
    expect(await f.ok(['get', 'all'])).toContain('widget.example.com/w1');
    await f.ok(['apply', '-f', '-'], {
      input:
        'apiVersion: example.com/v1alpha1\nkind: Gadget\nmetadata: {name: g1}\nanything: [1, 2]\n',
    });
    expect(
      JSON.parse(await f.ok(['get', 'gadget', 'g1', '-o', 'json'])).anything,
    ).toEqual([1, 2]);
  });

  it('updates status through the status subresource only', async () => {
    await f.ok([
      'patch',
      'wd',
      'w1',
      '--type',
      'merge',
      '--subresource=status',
      '-p',
      '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}',
    ]);
    expect(tableRows(await f.ok(['get', 'wd', 'w1']))[1][3]).toBe('True');
    await f.ok([
      'patch',
      'wd',
      'w1',
      '--type',
      'merge',
      '-p',
      '{"status":{"conditions":[]},"spec":{"size":6}}',
    ]);
    const w1 = JSON.parse(await f.ok(['get', 'wd', 'w1', '-o', 'json']));
    expect(w1.status.conditions).toHaveLength(1);
    expect(w1.spec.size).toBe(6);
    expect(w1.metadata.generation).toBe(3);
  });

  it('validates against the schema and rejects strategic merge patches', async () => {
    const invalid = await f.kubectl([
      'apply',
      '-f',
      f.file('bad.yaml', widget('bad', '{size: "big", color: green}')),
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('The Widget "bad" is invalid:');
    expect(invalid.stderr).toContain(
      'spec.size: Invalid value: "big": spec.size in body must be of type integer: "string"',
    );
    expect(invalid.stderr).toContain(
      'spec.color: Unsupported value: "green": supported values: "red", "blue"',
    );
    const missing = await f.kubectl([
      'apply',
      '-f',
      f.file('bad2.yaml', widget('bad2', '{color: red}')),
    ]);
    expect(missing.stderr).toContain('spec.size: Required value');
    const unknown = await f.kubectl([
      'apply',
      '-f',
      f.file('bad3.yaml', widget('bad3', '{size: 1, shape: round}')),
    ]);
    expect(unknown.stderr).toContain(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.shape"',
    );
    const smp = await f.kubectl([
      'patch',
      'wd',
      'w1',
      '-p',
      '{"spec":{"size":2}}',
    ]);
    expect(smp.stderr).toContain(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    const explain = await f.ok(['explain', 'widget.spec.size']);
    expect(explain).toContain('How big the widget is.');
  });

  it('server-side applies custom objects', async () => {
    const out = await f.ok([
      'apply',
      '--server-side',
      '-f',
      f.file('w3.yaml', widget('w3', '{size: 2}')),
    ]);
    expect(out.trim()).toBe('widget.example.com/w3 serverside-applied');
  });

  it('deleting the CRD deletes its objects and stops serving it', async () => {
    await f.ok(['delete', 'crd', 'widgets.example.com']);
    await eventually(
      async () =>
        (await f.kubectl(['get', 'crd', 'widgets.example.com'])).code === 1,
    );
    const r = await f.kubectl(['get', 'widgets']);
    // kubectl's discovery cache still lists widgets, so the list itself answers 404
    expect(r.stderr).toMatch(
      /the server doesn't have a resource type "widgets"|Unable to list "example.com\/v1, Resource=widgets": the server could not find the requested resource/,
    );
    expect(f.sim.api.store.count('example.com/widgets')).toBe(0);
  });
});
