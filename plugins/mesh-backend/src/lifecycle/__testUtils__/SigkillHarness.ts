import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type KubeSim, startKubeSim } from '@meshstage/kube-sim';
import type { Operation } from '@meshstage/plugin-mesh-common';
import { HttpClusterView, eventually } from '@meshstage/plugin-mesh-node';
import knexFactory, { type Knex } from 'knex';
import { kubernetesClustersConfig } from '../../__testUtils__/kubernetesConfig';
import { HoldingProxy, type HeldRequest } from './HoldingProxy';
import {
  type MeshBackendProcess,
  startMeshBackendProcess,
} from './meshBackendProcess';

const EXAMPLE_CLUSTER = path.resolve(
  __dirname,
  '../../../../../examples/cluster',
);
const TOKEN = 'sigkill-test';

/** A cluster an operation runs on until the backend is killed: where it is and how it started. */
export interface KillTarget {
  cluster: string;
  sim: KubeSim;
  proxy: HoldingProxy;
  view: HttpClusterView;
}

/** What a kill left of one operation: the held request and the operation's row. */
export interface KillRecord {
  held: HeldRequest;
  state: string;
  /** 1-based, as the log numbers steps; undefined when the row has none. */
  step?: number;
}

/**
 * The rig of the SIGKILL tests: one mesh backend at a time in a child process on a SQLite file,
 * kube-sims in this process, and between each cluster name and its kube-sim a
 * {@link HoldingProxy}. Slot `i`'s proxy serves every cluster name `slotNames(i)` lists, so one
 * backend configuration covers many sets of cases run one after the other.
 */
export class SigkillHarness {
  readonly #dir: string;
  readonly #config: object;
  readonly #proxies: HoldingProxy[];
  readonly #db: Knex;
  readonly #interruptAfterMs: number;
  readonly #sims: KubeSim[] = [];
  #backend: MeshBackendProcess;
  #started = 1;

  private constructor(init: {
    dir: string;
    config: object;
    proxies: HoldingProxy[];
    db: Knex;
    interruptAfterMs: number;
    backend: MeshBackendProcess;
  }) {
    this.#dir = init.dir;
    this.#config = init.config;
    this.#proxies = init.proxies;
    this.#db = init.db;
    this.#interruptAfterMs = init.interruptAfterMs;
    this.#backend = init.backend;
  }

  static async start(options: {
    slots: number;
    /** The cluster names slot `i` serves. */
    slotNames: (slot: number) => string[];
    /** `mesh.operations.interruptAfter`: how soon a killed backend's operations count as dead. */
    interruptAfterMs: number;
  }): Promise<SigkillHarness> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-sigkill-'));
    const proxies = await Promise.all(
      Array.from({ length: options.slots }, () => HoldingProxy.start()),
    );
    const config = {
      backend: {
        database: {
          client: 'better-sqlite3',
          connection: { directory: path.join(dir, 'db') },
        },
      },
      ...kubernetesClustersConfig(
        proxies.flatMap((proxy, slot) =>
          options
            .slotNames(slot)
            .map(name => ({ name, url: proxy.url, token: TOKEN })),
        ),
      ),
      mesh: {
        charts: { source: 'builtin' },
        // A held request waits for the kill, never for a timeout.
        clusterTimeout: { minutes: 10 },
        operations: {
          interruptAfter: { milliseconds: options.interruptAfterMs },
        },
      },
    };
    const backend = await startMeshBackendProcess('backend-1', config);
    // The backend created and migrated the file; this connection only reads.
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'db', 'mesh.sqlite') },
      useNullAsDefault: true,
    });
    return new SigkillHarness({
      dir,
      config,
      proxies,
      db,
      interruptAfterMs: options.interruptAfterMs,
      backend,
    });
  }

  /** The backend process running now. */
  get backend(): MeshBackendProcess {
    return this.#backend;
  }

  /**
   * Starts a kube-sim for slot `slot`: seeded like the dev cluster, or from a copy of a saved
   * state file, so every case starts from the same cluster. The slot's proxy is disarmed and
   * points at it.
   */
  async target(
    slot: number,
    cluster: string,
    from: 'seeded' | { statePath: string },
  ): Promise<KillTarget> {
    let sim: KubeSim;
    if (from === 'seeded') {
      sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER], token: TOKEN });
    } else {
      const statePath = path.join(this.#dir, `sim-${this.#sims.length}.json`);
      fs.copyFileSync(from.statePath, statePath);
      sim = await startKubeSim({ statePath, token: TOKEN });
    }
    this.#sims.push(sim);
    const proxy = this.#proxies[slot];
    proxy.disarm();
    proxy.setTarget(sim.url);
    return {
      cluster,
      sim,
      proxy,
      view: new HttpClusterView({ url: sim.url, token: TOKEN }),
    };
  }

  /**
   * Runs operations to build a cluster state on slot `slot` and saves it to a file for
   * {@link target}: e.g. a mesh installed and a namespace onboarded.
   */
  async saveState(
    slot: number,
    cluster: string,
    requests: object[],
  ): Promise<{ statePath: string }> {
    const statePath = path.join(this.#dir, `${cluster}.json`);
    const sim = await startKubeSim({
      seed: [EXAMPLE_CLUSTER],
      token: TOKEN,
      statePath,
    });
    try {
      this.#proxies[slot].disarm();
      this.#proxies[slot].setTarget(sim.url);
      for (const body of requests) {
        const op = await this.run({ ...body, cluster });
        if (op.state !== 'succeeded') {
          throw new Error(`${op.summary}: ${op.state} ${op.error}`);
        }
      }
    } finally {
      await sim.close(); // writes the state file
    }
    return { statePath };
  }

  /** Starts an operation on the current backend; the 202's operation. */
  async start(body: object): Promise<Operation> {
    const res = await this.#backend.api.post('/operations', body);
    if (res.status !== 202) {
      throw new Error(
        `POST /operations ${JSON.stringify(body)}: ${
          res.status
        } ${JSON.stringify(res.body)}`,
      );
    }
    return res.body.operation;
  }

  /** Starts an operation and waits until it has ended. */
  async run(body: object): Promise<Operation> {
    return this.settled((await this.start(body)).id);
  }

  /** Polls the operation until it is in a final state; its log and the backend's stderr in the error otherwise. */
  async settled(id: string, ceilingMs = 240_000): Promise<Operation> {
    const final = ['succeeded', 'failed', 'reverted', 'revert-failed'];
    try {
      return await eventually(async () => {
        const { body } = await this.#backend.api.get(`/operations/${id}`);
        return final.includes(body.operation?.state)
          ? (body.operation as Operation)
          : undefined;
      }, ceilingMs);
    } catch {
      throw new Error(`operation ${id} did not end:\n${await this.#log(id)}`);
    }
  }

  async #log(id: string): Promise<string> {
    const { body } = await this.#backend.api.get(`/operations/${id}`);
    return `${body.operation?.state}\n${(body.log ?? [])
      .map((l: { message: string }) => l.message)
      .join('\n')}\n${this.#backend.stderr()}`;
  }

  /**
   * Waits until the request each target's proxy is armed for is held (each operation frozen at
   * its point), SIGKILLs the backend, and starts the next one on the same database once the dead
   * one's heartbeats are older than `interruptAfter` (so its start marks them interrupted).
   * Returns, per operation, the held request and its row as the kill left it.
   */
  async killWhenHeld(
    cases: Array<{ target: KillTarget; operationId: string; label: string }>,
    ceilingMs = 240_000,
  ): Promise<KillRecord[]> {
    for (const c of cases) {
      try {
        await eventually(
          async () => (c.target.proxy.holding ? true : undefined),
          ceilingMs,
        );
      } catch {
        throw new Error(
          `${c.label} was never reached on ${
            c.target.cluster
          }; operation ${await this.#log(
            c.operationId,
          )}\nlast cluster requests:\n${c.target.proxy.seen
            .slice(-30)
            .join('\n')}`,
        );
      }
    }
    const held = cases.map(c => c.target.proxy.holding!);
    await this.#backend.kill();
    for (const c of cases) c.target.proxy.disarm();

    const rows = await this.#db('mesh_operations')
      .whereIn(
        'id',
        cases.map(c => c.operationId),
      )
      .select('id', 'state', 'current_step', 'heartbeat_at');
    const byId = new Map(rows.map(r => [r.id, r]));
    const newest = Math.max(...rows.map(r => Date.parse(r.heartbeat_at)));
    await eventually(
      async () =>
        Date.now() > newest + this.#interruptAfterMs + 500 ? true : undefined,
      ceilingMs,
    );
    this.#started += 1;
    this.#backend = await startMeshBackendProcess(
      `backend-${this.#started}`,
      this.#config,
    );
    return cases.map((c, i) => {
      const row = byId.get(c.operationId)!;
      return {
        held: held[i],
        state: row.state,
        ...(row.current_step !== null && {
          step: Number(row.current_step) + 1,
        }),
      };
    });
  }

  /** Whether an operation holds the lock of a cluster (any mesh). */
  async lockHeld(cluster: string): Promise<boolean> {
    return (
      (await this.#db('mesh_operation_locks').where({ cluster }).first()) !==
      undefined
    );
  }

  /** `Kind/namespace/name` of what the database records as applied on a cluster. */
  async applied(cluster: string): Promise<string[]> {
    const rows = await this.#db('mesh_applied_objects')
      .where({ cluster })
      .select('ref');
    return rows
      .map(r => JSON.parse(r.ref))
      .map(r => [r.kind, r.namespace, r.name].filter(Boolean).join('/'))
      .sort();
  }

  /** Closes the kube-sims started so far. */
  async closeTargets(): Promise<void> {
    for (const sim of this.#sims.splice(0)) await sim.close();
  }

  async stop(): Promise<void> {
    await this.#backend.stop();
    await this.#db.destroy();
    await this.closeTargets();
    for (const proxy of this.#proxies) await proxy.close();
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}
