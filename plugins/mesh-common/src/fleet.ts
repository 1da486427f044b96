/**
 * The fleet summary (`GET /api/mesh/fleet`): every configured cluster by every installed adapter in
 * one answer, for the platform team's page. Plain JSON shapes shared by backend and frontend.
 */
import type { OperationState } from './operations';
import type { LifecycleAction } from './lifecycle';
import type { MeshStatus } from './types';

/** The latest stored drift report of a cluster and mesh, without its objects. @public */
export interface FleetDriftSummary {
  checkedAt: string;
  drifted: boolean;
  /** Objects whose managed fields differ from what MeshStage applied. */
  modified: number;
  /** Objects MeshStage applied that were deleted out of band. */
  missing: number;
  /** Set when the last check could not read the cluster. */
  error?: string;
}

/** An operation that holds (or last held) a cluster and mesh, as the grid shows it. @public */
export interface FleetOperationSummary {
  id: string;
  action: LifecycleAction;
  state: OperationState;
  summary: string;
  createdBy: string;
  createdAt: string;
  startedAt?: string;
}

/** Data-plane coverage of a mesh on a cluster, from its pods' proxies. @public */
export interface FleetCoverage {
  /** Pods in namespaces the mesh injects or that run its proxy. */
  pods: number;
  /** Of those, pods running this mesh's proxy. */
  meshedPods: number;
  /** Pods whose proxy version the control plane no longer runs. */
  outdatedProxies: number;
}

/** One cell of the grid: a mesh on a cluster. @public */
export interface FleetCell extends MeshStatus {
  coverage: FleetCoverage;
  /** The latest drift report; absent when the pair was never checked. */
  drift?: FleetDriftSummary;
  /** An operation in progress (`planned`, `running`, `reverting`) on the pair. */
  activeOperation?: FleetOperationSummary;
  /** Interrupted operations of the pair, waiting for resume or revert (newest first). */
  interruptedOperations?: FleetOperationSummary[];
}

/** The latest validation scan of a cluster, counted. @public */
export interface FleetFindingsSummary {
  scanId: string;
  finishedAt: string;
  error: number;
  warning: number;
  info: number;
}

/** One row of the grid: a cluster and its meshes. @public */
export interface FleetCluster {
  name: string;
  title?: string;
  url: string;
  /** Whether the API server answered within `mesh.clusterTimeout`. */
  reachable: boolean;
  serverVersion?: string;
  /** Why the cluster could not be reached. */
  error?: string;
  /** The latest succeeded validation scan; absent when there is none. */
  findings?: FleetFindingsSummary;
  /** One cell per installed adapter, in adapter order. */
  meshes: FleetCell[];
}

/** `GET /api/mesh/fleet`. @public */
export interface FleetSummary {
  /** ISO time the summary was assembled. */
  generatedAt: string;
  /** Adapter ids, the grid's columns, in order. */
  meshes: string[];
  clusters: FleetCluster[];
}
