import { throttledAddress } from './client-address';

describe(throttledAddress.name, () => {
  it('counts an IPv4 address as itself, also when it comes IPv4-mapped', () => {
    expect(throttledAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(throttledAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttledAddress('::FFFF:cb00:7107')).toBe('203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as that /64, whatever its spelling', () => {
    const one = throttledAddress('2001:db8:1:2::1');
    expect(one).toBe('2001:db8:1:2::/64');
    expect(throttledAddress('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(one);
    expect(throttledAddress('2001:DB8:1:2:abcd::42')).toBe(one);
  });

  it('keeps neighbouring /64s apart', () => {
    expect(throttledAddress('2001:db8:1:3::1')).not.toBe(throttledAddress('2001:db8:1:2::1'));
  });

  it('counts something that is not an address as itself', () => {
    expect(throttledAddress('unknown')).toBe('unknown');
  });
});
