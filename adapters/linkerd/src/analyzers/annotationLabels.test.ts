import { brief, run } from './__testUtils__/run';
import { annotationLabelsAnalyzer } from './annotationLabels';

describe('MS0325 Linkerd labels and annotations mixed up', () => {
  it('flags settings written as labels, and mirror.linkerd.io/exported as an annotation', () => {
    const findings = run(
      annotationLabelsAnalyzer,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: cart, linkerd.io/inject: enabled, config.linkerd.io/opaque-ports: "5432"}
    spec: {containers: [{name: app}]}
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
  annotations: {mirror.linkerd.io/exported: "true"}
spec: {selector: {app: cart}}
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {linkerd.io/inject: enabled, config.linkerd.io/admission-webhooks: disabled}
`,
    );
    expect(brief(findings).map(f => `${f.resource} ${f.path}`)).toEqual([
      'Deployment/shop/cart /spec/template/metadata/labels/linkerd.io~1inject',
      'Deployment/shop/cart /spec/template/metadata/labels/config.linkerd.io~1opaque-ports',
      'Service/shop/cart /metadata/annotations/mirror.linkerd.io~1exported',
      'Namespace//shop /metadata/labels/linkerd.io~1inject',
    ]);
    expect(findings[0].message).toBe(
      'Deployment "cart" has "linkerd.io/inject" as a label; Linkerd reads it as an annotation.',
    );
  });

  it('is quiet when each key is where Linkerd reads it', () => {
    expect(
      run(
        annotationLabelsAnalyzer,
        `apiVersion: v1
kind: Pod
metadata:
  name: cart-1
  namespace: shop
  labels: {app: cart, linkerd.io/control-plane-ns: linkerd}
  annotations: {linkerd.io/inject: enabled, config.linkerd.io/opaque-ports: "5432"}
spec: {containers: [{name: app}]}
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
  labels: {mirror.linkerd.io/exported: "true"}
spec: {selector: {app: cart}}
`,
      ),
    ).toEqual([]);
  });
});
