import type {
  DriftReport,
  LifecycleRequest,
  Operation,
  OperationDetail,
  OperationEnvelope,
  OperationFinalStateEvent,
  OperationListFilter,
  OperationListItem,
  OperationLogEntry,
  OperationPlanPreview,
  PlanPreview,
} from '@meshstage/plugin-mesh-common';
import type {
  MeshOperationsApi,
  OperationStreamEvent,
  OperationStreamOptions,
} from './MeshOperationsApi';
import type { MeshHttp } from './MeshHttp';
import { readEventStream, type ServerSentEvent } from './eventStream';

const operationPath = (id: string) => `/operations/${encodeURIComponent(id)}`;

/** Turns one Server-Sent Event of an operation stream into a typed event (unknown kinds: undefined). */
export function toOperationStreamEvent(
  event: ServerSentEvent,
): OperationStreamEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  switch (event.event) {
    case 'log':
      return { type: 'log', entry: data as OperationLogEntry };
    case 'state':
      return { type: 'state', state: data as OperationFinalStateEvent };
    case 'error':
      return {
        type: 'error',
        message: String((data as { message?: unknown })?.message ?? data),
      };
    default:
      return undefined;
  }
}

/** {@link MeshOperationsApi} over {@link MeshHttp}. */
export class OperationsClient implements MeshOperationsApi {
  constructor(protected readonly http: MeshHttp) {}

  previewOperation(request: LifecycleRequest): Promise<PlanPreview> {
    return this.http.post<PlanPreview>('/operations', {
      ...request,
      dryRun: true,
    });
  }

  async createOperation(request: LifecycleRequest): Promise<Operation> {
    return (await this.http.post<OperationEnvelope>('/operations', request))
      .operation;
  }

  async listOperations(
    filter: OperationListFilter = {},
  ): Promise<OperationListItem[]> {
    return (
      await this.http.get<{ items: OperationListItem[] }>('/operations', {
        cluster: filter.cluster || undefined,
        mesh: filter.mesh || undefined,
        state: filter.state || undefined,
        createdBy: filter.createdBy || undefined,
        limit: filter.limit,
        offset: filter.offset || undefined,
      })
    ).items;
  }

  getOperation(id: string): Promise<OperationDetail> {
    return this.http.get<OperationDetail>(operationPath(id));
  }

  async streamOperationEvents(
    id: string,
    options: OperationStreamOptions,
  ): Promise<void> {
    const { onEvent, signal, lastEventId } = options;
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (lastEventId !== undefined && lastEventId > 0) {
      headers['Last-Event-ID'] = String(lastEventId);
    }
    let response: Response;
    try {
      response = await this.http.send('GET', `${operationPath(id)}/events`, {
        headers,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    await readEventStream(
      response,
      event => {
        const typed = toOperationStreamEvent(event);
        if (typed) onEvent(typed);
      },
      signal,
    );
  }

  previewResumeOperation(id: string): Promise<OperationPlanPreview> {
    return this.http.post<OperationPlanPreview>(`${operationPath(id)}/resume`, {
      dryRun: true,
    });
  }

  async resumeOperation(id: string): Promise<Operation> {
    return (
      await this.http.post<OperationEnvelope>(`${operationPath(id)}/resume`, {})
    ).operation;
  }

  previewRevertOperation(id: string): Promise<OperationPlanPreview> {
    return this.http.post<OperationPlanPreview>(`${operationPath(id)}/revert`, {
      dryRun: true,
    });
  }

  async revertOperation(id: string): Promise<Operation> {
    return (
      await this.http.post<OperationEnvelope>(`${operationPath(id)}/revert`, {})
    ).operation;
  }

  async getDriftReports(
    filter: { cluster?: string; mesh?: string } = {},
  ): Promise<DriftReport[]> {
    return (
      await this.http.get<{ items: DriftReport[] }>('/drift', {
        cluster: filter.cluster || undefined,
        mesh: filter.mesh || undefined,
      })
    ).items;
  }

  checkDrift(target: { cluster: string; mesh: string }): Promise<DriftReport> {
    return this.http.post<DriftReport>('/drift/check', {
      cluster: target.cluster,
      mesh: target.mesh,
    });
  }
}
