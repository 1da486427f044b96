import { serviceNamespace } from './targetNamespace';

describe('serviceNamespace', () => {
  it.each([
    ['http://echo.shop.svc.cluster.local:8080/', 'shop'],
    ['https://echo.shop.svc/x?y=1', 'shop'],
    ['http://ECHO.Shop.svc.cluster.local./', 'shop'],
    ['grpc://echo.shop.svc:9090', 'shop'],
  ])('takes the namespace from %s', (url, namespace) => {
    expect(serviceNamespace(url)).toBe(namespace);
  });

  it.each([
    'http://echo.shop:8080/',
    'http://echo.shop.example.com/',
    'http://127.0.0.1:8080/',
    'http://shop.svc.cluster.local/',
    'not a url',
  ])('names none in %s', url => {
    expect(serviceNamespace(url)).toBeUndefined();
  });
});
