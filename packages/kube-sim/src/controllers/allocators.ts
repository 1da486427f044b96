/** Sequential address and port allocators, persisted with the state. */
export class Allocators {
  constructor(readonly counters: Record<string, number> = {}) {}

  private next(name: string, start: number): number {
    const n = Math.max(this.counters[name] ?? start, start);
    this.counters[name] = n + 1;
    return n;
  }

  /** Pod IPs from 10.244.0.0/16. */
  podIP(): string {
    const n = (this.next('podIP', 10) % 65000) + 2;
    return `10.244.${n >> 8}.${n & 255}`;
  }

  /** Service cluster IPs from 10.96.0.0/16 (10.96.0.1 and .10 are taken by convention). */
  clusterIP(inUse: (ip: string) => boolean): string {
    for (let i = 0; i < 65000; i++) {
      const n = (this.next('clusterIP', 11) % 65000) + 11;
      const ip = `10.96.${n >> 8}.${n & 255}`;
      if (!inUse(ip)) return ip;
    }
    throw new Error('cluster IP range exhausted');
  }

  nodePort(inUse: (p: number) => boolean): number {
    for (let i = 0; i < 2768; i++) {
      const p = 30000 + (this.next('nodePort', 0) % 2768);
      if (!inUse(p)) return p;
    }
    throw new Error('node port range exhausted');
  }
}
