import { SchemaBuilder, s } from '../builder';
import { CORE, defineKind } from './core';
import { CONDITION, LABEL_SELECTOR } from './meta';

export function defineOthers(b: SchemaBuilder): void {
  // batch/v1
  defineKind(
    b,
    'io.k8s.api.batch.v1',
    { group: 'batch', version: 'v1', kind: 'Job' },
    'Job represents the configuration of a single job.',
    {
      spec: s.obj(
        {
          activeDeadlineSeconds: s.int64(
            'Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it.',
          ),
          backoffLimit: s.int(
            'Specifies the number of retries before marking this job failed. Defaults to 6',
          ),
          backoffLimitPerIndex: s.int(
            'Specifies the limit for the number of retries within an index before marking this index as failed.',
          ),
          completionMode: s.enumStr(
            ['Indexed', 'NonIndexed'],
            'completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`.',
          ),
          completions: s.int(
            'Specifies the desired number of successfully finished pods the job should be run with.',
          ),
          managedBy: s.str(
            'ManagedBy field indicates the controller that manages a Job.',
          ),
          manualSelector: s.bool(
            'manualSelector controls generation of pod labels and pod selectors. Leave `manualSelector` unset unless you are certain what you are doing.',
          ),
          maxFailedIndexes: s.int(
            'Specifies the maximal number of failed indexes before marking the Job as failed.',
          ),
          parallelism: s.int(
            'Specifies the maximum desired number of pods the job should run at any given time.',
          ),
          podFailurePolicy: s.open(
            'Specifies the policy of handling failed pods.',
          ),
          podReplacementPolicy: s.str(
            'podReplacementPolicy specifies when to create replacement Pods.',
          ),
          selector: s.ref(
            LABEL_SELECTOR,
            'A label query over pods that should match the pod count. Normally, the system sets this field for you.',
          ),
          successPolicy: s.open(
            'successPolicy specifies the policy when the Job can be declared as succeeded.',
          ),
          suspend: s.bool(
            'suspend specifies whether the Job controller should create Pods or not.',
          ),
          template: s.ref(
            `${CORE}.PodTemplateSpec`,
            'Describes the pod that will be created when executing a job.',
            { default: {} },
          ),
          ttlSecondsAfterFinished: s.int(
            'ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed).',
          ),
        },
        'Specification of the desired behavior of a job.',
        { required: ['template'] },
      ),
      status: s.obj(
        {
          active: s.int(
            'The number of pending and running pods which are not terminating.',
          ),
          completedIndexes: s.str(
            'completedIndexes holds the completed indexes when .spec.completionMode = "Indexed" in a text format.',
          ),
          completionTime: s.time('Represents time when the job was completed.'),
          conditions: s.arr(
            s.open(),
            "The latest available observations of an object's current state.",
          ),
          failed: s.int('The number of pods which reached phase Failed.'),
          failedIndexes: s.str(),
          ready: s.int(
            'The number of active pods which have a Ready condition and are not terminating.',
          ),
          startTime: s.time(
            'Represents time when the job controller started processing a job.',
          ),
          succeeded: s.int('The number of pods which reached phase Succeeded.'),
          terminating: s.int('The number of pods which are terminating.'),
          uncountedTerminatedPods: s.open(
            "uncountedTerminatedPods holds the UIDs of Pods that have terminated but the job controller hasn't yet accounted for in the status counters.",
          ),
        },
        'Current status of a job.',
      ),
    },
  );

  // apiextensions.k8s.io/v1
  defineKind(
    b,
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
    {
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
    },
    'CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.',
    {
      spec: s.obj(
        {
          conversion: s.open(
            'conversion defines conversion settings for the CRD.',
          ),
          group: s.str(
            'group is the API group of the defined custom resource.',
          ),
          names: s.obj(
            {
              categories: s.arr(
                s.str(),
                "categories is a list of grouped resources this custom resource belongs to (e.g. 'all').",
              ),
              kind: s.str(
                'kind is the serialized kind of the resource. It is normally CamelCase and singular.',
              ),
              listKind: s.str(
                'listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".',
              ),
              plural: s.str(
                'plural is the plural name of the resource to serve.',
              ),
              shortNames: s.arr(
                s.str(),
                'shortNames are short names for the resource, exposed in API discovery documents.',
              ),
              singular: s.str(
                'singular is the singular name of the resource. It must be all lowercase. Defaults to lowercased `kind`.',
              ),
            },
            'names specify the resource and kind names for the custom resource.',
            { required: ['plural', 'kind'] },
          ),
          preserveUnknownFields: s.bool(
            'preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage.',
          ),
          scope: s.str(
            'scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.',
          ),
          versions: s.arr(
            s.obj(
              {
                additionalPrinterColumns: s.arr(
                  s.open(),
                  'additionalPrinterColumns specifies additional columns returned in Table output.',
                ),
                deprecated: s.bool(
                  'deprecated indicates this version of the custom resource API is deprecated.',
                ),
                deprecationWarning: s.str(
                  'deprecationWarning overrides the default warning returned to API clients.',
                ),
                name: s.str(
                  'name is the version name, e.g. “v1”, “v2beta1”, etc.',
                ),
                schema: s.open(
                  'schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.',
                ),
                selectableFields: s.arr(
                  s.open(),
                  'selectableFields specifies paths to fields that may be used as field selectors.',
                ),
                served: s.bool(
                  'served is a flag enabling/disabling this version from being served via REST APIs',
                ),
                storage: s.bool(
                  'storage indicates this version should be used when persisting custom resources to storage.',
                ),
                subresources: s.open(
                  'subresources specify what subresources this version of the defined custom resource have.',
                ),
              },
              'CustomResourceDefinitionVersion describes a version for CRD.',
              { required: ['name', 'served', 'storage'] },
            ),
            'versions is the list of all API versions of the defined custom resource.',
          ),
        },
        'spec describes how the user wants the resources to appear',
        { required: ['group', 'names', 'scope', 'versions'] },
      ),
      status: s.open(
        'status indicates the actual state of the CustomResourceDefinition',
      ),
    },
  );

  // admissionregistration.k8s.io/v1
  for (const kind of [
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
  ]) {
    defineKind(
      b,
      'io.k8s.api.admissionregistration.v1',
      { group: 'admissionregistration.k8s.io', version: 'v1', kind },
      `${kind} describes the configuration of and admission webhook that accept or reject and may change the object.`,
      {
        webhooks: s.listMap(
          s.open(),
          ['name'],
          'Webhooks is a list of webhooks and the affected resources and operations.',
        ),
      },
    );
  }

  // rbac.authorization.k8s.io/v1
  const RBAC = 'io.k8s.api.rbac.v1';
  const rbac = { group: 'rbac.authorization.k8s.io', version: 'v1' };
  const rules = s.arr(
    s.obj(
      {
        apiGroups: s.arr(
          s.str(),
          'APIGroups is the name of the APIGroup that contains the resources.',
        ),
        nonResourceURLs: s.arr(
          s.str(),
          'NonResourceURLs is a set of partial urls that a user should have access to.',
        ),
        resourceNames: s.arr(
          s.str(),
          'ResourceNames is an optional white list of names that the rule applies to.',
        ),
        resources: s.arr(
          s.str(),
          'Resources is a list of resources this rule applies to.',
        ),
        verbs: s.arr(
          s.str(),
          'Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule.',
        ),
      },
      'PolicyRule holds information that describes a policy rule.',
      { required: ['verbs'] },
    ),
    'Rules holds all the PolicyRules for this Role',
  );
  const subjects = s.arr(
    s.obj(
      { apiGroup: s.str(), kind: s.str(), name: s.str(), namespace: s.str() },
      'Subject contains a reference to the object or user identities a role binding applies to.',
      { required: ['kind', 'name'] },
    ),
    'Subjects holds references to the objects the role applies to.',
  );
  const roleRef = s.obj(
    { apiGroup: s.str(), kind: s.str(), name: s.str() },
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
    { required: ['apiGroup', 'kind', 'name'] },
  );
  defineKind(
    b,
    RBAC,
    { ...rbac, kind: 'Role' },
    'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
    { rules },
  );
  defineKind(
    b,
    RBAC,
    { ...rbac, kind: 'ClusterRole' },
    'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    {
      aggregationRule: s.open(
        'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.',
      ),
      rules,
    },
  );
  defineKind(
    b,
    RBAC,
    { ...rbac, kind: 'RoleBinding' },
    'RoleBinding references a role, but does not contain it.',
    { roleRef, subjects },
  );
  defineKind(
    b,
    RBAC,
    { ...rbac, kind: 'ClusterRoleBinding' },
    'ClusterRoleBinding references a ClusterRole, but not contain it.',
    { roleRef, subjects },
  );

  // policy/v1
  defineKind(
    b,
    'io.k8s.api.policy.v1',
    { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
    'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods',
    {
      spec: s.obj(
        {
          maxUnavailable: s.intOrString(
            'An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction.',
          ),
          minAvailable: s.intOrString(
            'An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction.',
          ),
          selector: s.ref(
            LABEL_SELECTOR,
            'Label query over pods whose evictions are managed by the disruption budget.',
          ),
          unhealthyPodEvictionPolicy: s.str(
            'UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction.',
          ),
        },
        'Specification of the desired behavior of the PodDisruptionBudget.',
      ),
      status: s.open(
        'Most recently observed status of the PodDisruptionBudget.',
      ),
    },
  );

  // autoscaling/v2
  defineKind(
    b,
    'io.k8s.api.autoscaling.v2',
    { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
    'HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler.',
    {
      spec: s.obj(
        {
          behavior: s.open(
            'behavior configures the scaling behavior of the target in both Up and Down directions.',
          ),
          maxReplicas: s.int(
            'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.',
          ),
          metrics: s.arr(
            s.open(),
            'metrics contains the specifications for which to use to calculate the desired replica count.',
          ),
          minReplicas: s.int(
            'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.',
          ),
          scaleTargetRef: s.obj(
            { apiVersion: s.str(), kind: s.str(), name: s.str() },
            'scaleTargetRef points to the target resource to scale.',
            { required: ['kind', 'name'] },
          ),
        },
        'spec is the specification for the behaviour of the autoscaler.',
        { required: ['scaleTargetRef', 'maxReplicas'] },
      ),
      status: s.open('status is the current information about the autoscaler.'),
    },
  );

  // networking.k8s.io/v1
  defineKind(
    b,
    'io.k8s.api.networking.v1',
    { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
    'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend.',
    {
      spec: s.obj(
        {
          defaultBackend: s.open(
            "defaultBackend is the backend that should handle requests that don't match any rule.",
          ),
          ingressClassName: s.str(
            'ingressClassName is the name of an IngressClass cluster resource.',
          ),
          rules: s.arr(
            s.open(),
            'rules is a list of host rules used to configure the Ingress.',
          ),
          tls: s.arr(s.open(), 'tls represents the TLS configuration.'),
        },
        'spec is the desired state of the Ingress.',
      ),
      status: s.open('status is the current state of the Ingress.'),
    },
  );

  // coordination.k8s.io/v1
  defineKind(
    b,
    'io.k8s.api.coordination.v1',
    { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
    'Lease defines a lease concept.',
    {
      spec: s.obj(
        {
          acquireTime: s.str(
            'acquireTime is a time when the current lease was acquired.',
            { format: 'date-time' },
          ),
          holderIdentity: s.str(
            'holderIdentity contains the identity of the holder of a current lease.',
          ),
          leaseDurationSeconds: s.int(
            'leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it.',
          ),
          leaseTransitions: s.int(
            'leaseTransitions is the number of transitions of a lease between holders.',
          ),
          preferredHolder: s.str(),
          renewTime: s.str(
            'renewTime is a time when the current holder of a lease has last updated the lease.',
            { format: 'date-time' },
          ),
          strategy: s.str(),
        },
        'spec contains the specification of the Lease.',
      ),
    },
  );

  // autoscaling/v1 Scale (the scale subresource's kind)
  b.define('io.k8s.api.autoscaling.v1.Scale', {
    ...s.obj(
      {
        apiVersion: s.str(
          'APIVersion defines the versioned schema of this representation of an object.',
        ),
        kind: s.str(
          'Kind is a string value representing the REST resource this object represents.',
        ),
        metadata: s.ref(
          'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          'Standard object metadata.',
          { default: {} },
        ),
        spec: s.obj(
          {
            replicas: s.int(
              'replicas is the desired number of instances for the scaled object.',
            ),
          },
          'spec defines the behavior of the scale.',
        ),
        status: s.obj(
          {
            replicas: s.int(
              'replicas is the actual number of observed instances of the scaled object.',
            ),
            selector: s.str(
              'selector is the label query over pods that should match the replicas count.',
            ),
          },
          'status is the current status of the scale.',
          { required: ['replicas'] },
        ),
      },
      'Scale represents a scaling request for a resource.',
    ),
    'x-kubernetes-group-version-kind': [
      { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    ],
  });
  void CONDITION;
}
