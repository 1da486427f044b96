import { targetHost } from '../../benchmark/hostAllowList';

// `<service>.<namespace>.svc`, optionally followed by the cluster domain.
const SERVICE_HOST =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?$/;

/**
 * The namespace a benchmark target names when it is a cluster Service's DNS name
 * (`http://echo.shop.svc.cluster.local:8080/` is in `shop`); undefined for anything else (a
 * short `echo.shop` could be a public domain, so it is not guessed from). Pure.
 */
export function serviceNamespace(url: string): string | undefined {
  const host = targetHost(url);
  return host ? SERVICE_HOST.exec(host)?.[2] : undefined;
}
