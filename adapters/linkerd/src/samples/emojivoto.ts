import {
  type SampleApp,
  sampleWorkloadObjects,
} from '@meshstage/plugin-mesh-node';

const image = (name: string) => `docker.l5d.io/buoyantio/emojivoto-${name}:v11`;

/** Linkerd's emojivoto: a web front end, two gRPC services and a bot that votes. */
export const emojivotoSampleApp: SampleApp = {
  id: 'emojivoto',
  displayName: 'Emojivoto',
  description:
    "Linkerd's emojivoto: web (HTTP), emoji and voting (gRPC), and vote-bot generating traffic",
  defaultNamespace: 'emojivoto',
  objects: namespace =>
    sampleWorkloadObjects(namespace, [
      {
        name: 'emoji',
        app: 'emoji-svc',
        version: 'v11',
        image: image('emoji-svc'),
        port: 8080,
        portName: 'grpc',
        serviceAccount: 'emoji',
        env: { GRPC_PORT: '8080', PROM_PORT: '8801' },
      },
      {
        name: 'voting',
        app: 'voting-svc',
        version: 'v11',
        image: image('voting-svc'),
        port: 8080,
        portName: 'grpc',
        serviceAccount: 'voting',
        env: { GRPC_PORT: '8080', PROM_PORT: '8801' },
      },
      {
        name: 'web',
        app: 'web-svc',
        version: 'v11',
        image: image('web'),
        port: 8080,
        portName: 'http',
        serviceAccount: 'web',
        env: {
          WEB_PORT: '8080',
          EMOJISVC_HOST: `emoji-svc.${namespace}:8080`,
          VOTINGSVC_HOST: `voting-svc.${namespace}:8080`,
          INDEX_BUNDLE: 'dist/index_bundle.js',
        },
      },
      {
        name: 'vote-bot',
        app: 'vote-bot',
        version: 'v11',
        image: image('web'),
        env: { WEB_HOST: `web-svc.${namespace}:8080` },
        args: ['emojivoto-vote-bot'],
      },
    ]),
};
