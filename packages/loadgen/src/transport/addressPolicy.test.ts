import { forbiddenAddressReason, ipv6Groups } from './addressPolicy';

/** The host a URL's parser makes of a spelling, as targets arrive. */
const hostOf = (url: string) =>
  new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');

describe('forbiddenAddressReason', () => {
  it.each([
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['100.100.100.200', 'metadata'],
    ['192.0.0.192', 'metadata'],
    ['fe80::1', 'link-local'],
    ['[fe80::a9fe:a9fe]', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fd00:0ec2:0:0:0:0:0:254', 'metadata'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:0:169.254.169.254', 'link-local'],
    ['::169.254.169.254', 'link-local'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
  ])('refuses %s', (address, why) => {
    expect(forbiddenAddressReason(address)).toContain(why);
  });

  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '169.253.255.255',
    '169.255.0.0',
    '100.100.100.201',
    '::1',
    '::',
    'fec0::1',
    'fd00:ec2::253',
    '::ffff:127.0.0.1',
    '64:ff9b::a00:1',
    '2001:db8::1',
    'metadata.google.internal',
  ])('lets %s through', address => {
    expect(forbiddenAddressReason(address)).toBeUndefined();
  });

  it.each([
    'http://2852039166/',
    'http://0xa9fea9fe/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://0251.0376.0251.0376/',
    'http://169.254.43518/',
    'http://[::ffff:169.254.169.254]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'http://[FE80::1]:8080/',
  ])('refuses the URL spelling %s once parsed', url => {
    expect(forbiddenAddressReason(hostOf(url))).toBeDefined();
  });
});

describe('ipv6Groups', () => {
  it('expands :: and trailing dotted quads', () => {
    expect(ipv6Groups('fd00:ec2::254')).toEqual([
      0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254,
    ]);
    expect(ipv6Groups('::ffff:1.2.3.4')).toEqual([
      0, 0, 0, 0, 0, 0xffff, 0x102, 0x304,
    ]);
    expect(ipv6Groups('1.2.3.4')).toBeUndefined();
  });
});
