import { SchemaBuilder, s } from '../builder';
import { CORE, defineKind } from './core';
import { LABEL_SELECTOR } from './meta';

/**
 * Kinds the Backstage Kubernetes plugin and mesh tooling read but that
 * kube-sim only stores (no controller): LimitRange, ResourceQuota,
 * PersistentVolume, CronJob, EndpointSlice; plus the metrics and access
 * review kinds, which are computed per request.
 */
export function defineExtra(b: SchemaBuilder): void {
  const core = { group: '', version: 'v1' };
  defineKind(
    b,
    CORE,
    { ...core, kind: 'LimitRange' },
    'LimitRange sets resource usage limits for each kind of resource in a Namespace.',
    {
      spec: s.obj(
        {
          limits: s.arr(
            s.open(),
            'Limits is the list of LimitRangeItem objects that are enforced.',
          ),
        },
        'Spec defines the limits enforced.',
        { required: ['limits'] },
      ),
    },
  );
  defineKind(
    b,
    CORE,
    { ...core, kind: 'ResourceQuota' },
    'ResourceQuota sets aggregate quota restrictions enforced per namespace',
    {
      spec: s.obj(
        {
          hard: s.map(
            s.quantity(),
            'hard is the set of desired hard limits for each named resource.',
          ),
          scopeSelector: s.open(
            'scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota.',
          ),
          scopes: s.arr(
            s.str(),
            'A collection of filters that must match each object tracked by a quota.',
          ),
        },
        'Spec defines the desired quota.',
      ),
      status: s.obj(
        {
          hard: s.map(
            s.quantity(),
            'Hard is the set of enforced hard limits for each named resource.',
          ),
          used: s.map(
            s.quantity(),
            'Used is the current observed total usage of the resource in the namespace.',
          ),
        },
        'Status defines the actual enforced quota and its current usage.',
      ),
    },
  );
  defineKind(
    b,
    CORE,
    { ...core, kind: 'PersistentVolume' },
    'PersistentVolume (PV) is a storage resource provisioned by an administrator.',
    {
      spec: s.open(
        'spec defines a specification of a persistent volume owned by the cluster. Provisioned by an administrator.',
      ),
      status: s.open(
        'status represents the current information/status for the persistent volume.',
      ),
    },
  );
  defineKind(
    b,
    'io.k8s.api.batch.v1',
    { group: 'batch', version: 'v1', kind: 'CronJob' },
    'CronJob represents the configuration of a single cron job.',
    {
      spec: s.obj(
        {
          concurrencyPolicy: s.enumStr(
            ['Allow', 'Forbid', 'Replace'],
            'Specifies how to treat concurrent executions of a Job.',
          ),
          failedJobsHistoryLimit: s.int(
            'The number of failed finished jobs to retain.',
          ),
          jobTemplate: s.obj(
            {
              metadata: s.ref(
                'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
              ),
              spec: s.open('Specification of the desired behavior of the job.'),
            },
            'Specifies the job that will be created when executing a CronJob.',
          ),
          schedule: s.str(
            'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
          ),
          startingDeadlineSeconds: s.int64(
            'Optional deadline in seconds for starting the job if it misses scheduled time for any reason.',
          ),
          successfulJobsHistoryLimit: s.int(
            'The number of successful finished jobs to retain.',
          ),
          suspend: s.bool(
            'This flag tells the controller to suspend subsequent executions. Defaults to false.',
          ),
          timeZone: s.str('The time zone name for the given schedule.'),
        },
        'Specification of the desired behavior of a cron job, including the schedule.',
        { required: ['schedule', 'jobTemplate'] },
      ),
      status: s.obj(
        {
          active: s.arr(
            s.ref(`${CORE}.ObjectReference`),
            'A list of pointers to currently running jobs.',
          ),
          lastScheduleTime: s.time(
            'Information when was the last time the job was successfully scheduled.',
          ),
          lastSuccessfulTime: s.time(
            'Information when was the last time the job successfully completed.',
          ),
        },
        'Current status of a cron job.',
      ),
    },
  );
  defineKind(
    b,
    'io.k8s.api.discovery.v1',
    { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
    'EndpointSlice represents a subset of the endpoints that implement a service.',
    {
      addressType: s.enumStr(
        ['FQDN', 'IPv4', 'IPv6'],
        'addressType specifies the type of address carried by this EndpointSlice.',
      ),
      endpoints: s.arr(
        s.open(),
        'endpoints is a list of unique endpoints in this slice.',
      ),
      ports: s.arr(
        s.open(),
        'ports specifies the list of network ports exposed by each endpoint in this slice.',
      ),
    },
  );
  const usage = s.map(s.quantity(), 'The memory/cpu usage.');
  defineKind(
    b,
    'io.k8s.metrics.pkg.apis.metrics.v1beta1',
    { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' },
    'PodMetrics sets resource usage metrics of a pod.',
    {
      containers: s.arr(
        s.obj(
          { name: s.str(), usage },
          'ContainerMetrics sets resource usage metrics of a container.',
        ),
        'Metrics for all containers are collected within the same time window.',
      ),
      timestamp: s.time(
        'The following fields define time interval from which metrics were collected.',
      ),
      window: s.str('The time window.'),
    },
  );
  defineKind(
    b,
    'io.k8s.metrics.pkg.apis.metrics.v1beta1',
    { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' },
    'NodeMetrics sets resource usage metrics of a node.',
    {
      timestamp: s.time(
        'The following fields define time interval from which metrics were collected.',
      ),
      usage,
      window: s.str('The time window.'),
    },
  );
  const review = (kind: string, group: string, description: string) =>
    defineKind(
      b,
      `io.k8s.api.${group.split('.')[0]}.v1`,
      { group, version: 'v1', kind },
      description,
      {
        spec: s.open(
          'Spec holds information about the request being evaluated.',
        ),
        status: s.open('Status is filled in by the server.'),
      },
    );
  review(
    'SelfSubjectAccessReview',
    'authorization.k8s.io',
    'SelfSubjectAccessReview checks whether or the current user can perform an action.',
  );
  review(
    'SelfSubjectRulesReview',
    'authorization.k8s.io',
    'SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace.',
  );
  review(
    'SelfSubjectReview',
    'authentication.k8s.io',
    'SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request.',
  );
  void LABEL_SELECTOR;
}
