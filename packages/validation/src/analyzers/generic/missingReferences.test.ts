import { brief, run } from '../../__testUtils__';
import { missingReferencesAnalyzer } from './missingReferences';

describe('MS0107 missing referenced objects', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: cart
      volumes:
        - name: tls
          secret: {secretName: cart-tls}
        - name: opt
          secret: {secretName: maybe, optional: true}
      containers:
        - name: app
          envFrom:
            - configMapRef: {name: cart-config}
`;

  it('flags each missing Secret, ConfigMap and ServiceAccount at its field', () => {
    const findings = run(missingReferencesAnalyzer, deployment);
    expect(findings.map(brief)).toEqual([
      {
        code: 'MS0107',
        resource: 'Deployment/shop/cart',
        path: '/spec/template/spec/serviceAccountName',
        line: 7,
      },
      {
        code: 'MS0107',
        resource: 'Deployment/shop/cart',
        path: '/spec/template/spec/volumes/0/secret/secretName',
        line: 10,
      },
      {
        code: 'MS0107',
        resource: 'Deployment/shop/cart',
        path: '/spec/template/spec/containers/0/envFrom/0/configMapRef/name',
        line: 16,
      },
    ]);
    expect(findings[1].message).toBe(
      'Deployment "cart" references Secret "cart-tls", which does not exist in namespace "shop".',
    );
  });

  it('is quiet when they exist in the same namespace', () => {
    const present = `---
apiVersion: v1
kind: ServiceAccount
metadata: {name: cart, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: cart-tls, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cart-config, namespace: shop}
`;
    expect(run(missingReferencesAnalyzer, deployment + present)).toEqual([]);
  });
});
