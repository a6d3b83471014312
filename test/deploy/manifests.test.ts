import Fastify from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHealthState, registerObservabilityRoutes } from '../../src/obs/health.ts';
import { createMetrics } from '../../src/obs/metrics.ts';
import {
  containersOf, deployDir, envFileNames, filesUnder, k8sObjects, read, root, specEnvNames, yamlDocuments,
} from './deploy-files.ts';
import type { Json } from './deploy-files.ts';

const SIP_PORT = 5060;
const HTTP_PORT = 8080;

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
}

function compose() {
  const [doc] = yamlDocuments('deploy/docker-compose.yml');
  return doc as { services: Record<string, ComposeService> };
}

/** Every environment variable the deployment files hand to the sip-edge process. */
function edgeEnvNames(): Map<string, string> {
  const names = new Map<string, string>();
  const add = (name: string, where: string) => names.set(name, where);
  for (const name of Object.keys(compose().services.edge!.environment ?? {})) add(name, 'docker-compose.yml');
  for (const object of k8sObjects()) {
    if (object.kind === 'ConfigMap') for (const name of Object.keys(object.data as Json)) add(name, 'k8s ConfigMap');
    if (object.kind === 'Secret') for (const name of Object.keys(object.stringData as Json)) add(name, 'k8s Secret');
  }
  for (const container of containersOf(k8sObjects())) for (const e of container.env ?? []) add(e.name, 'k8s Deployment');
  for (const name of envFileNames('deploy/systemd/sip-edge.env')) add(name, 'systemd env file');
  for (const match of read('deploy/systemd/sip-edge.service').matchAll(/^Environment=([A-Z][A-Z0-9_]*)=/gm)) {
    add(match[1]!, 'systemd unit');
  }
  for (const match of read('deploy/Dockerfile').matchAll(/^\s*(?:ENV\s+)?([A-Z][A-Z0-9_]*)=\S+\s*\\?$/gm)) {
    add(match[1]!, 'Dockerfile');
  }
  return names;
}

describe('deploy files parse', () => {
  it('parses the compose file, every manifest and provisioning file as YAML, and the dashboard as JSON', () => {
    const yamlFiles = filesUnder(deployDir, /\.ya?ml$/);
    expect(yamlFiles).toContain('deploy/docker-compose.yml');
    expect(yamlFiles.length).toBeGreaterThanOrEqual(10);
    for (const path of yamlFiles) expect(yamlDocuments(path).length, path).toBeGreaterThan(0);
    for (const path of filesUnder(deployDir, /\.json$/)) expect(() => JSON.parse(read(path)), path).not.toThrow();
  });

  it('has the Kubernetes objects an operator needs, each well-formed', () => {
    const objects = k8sObjects();
    for (const object of objects) {
      expect(typeof object.apiVersion).toBe('string');
      expect(typeof object.kind).toBe('string');
    }
    const kinds = objects.map((o) => o.kind);
    for (const kind of ['Deployment', 'Service', 'ConfigMap', 'Secret']) expect(kinds).toContain(kind);
    const kustomization = objects.find((o) => o.kind === 'Kustomization') as { resources: string[] } | undefined;
    expect(kustomization).toBeDefined();
    for (const resource of kustomization!.resources) expect(existsSync(join(deployDir, 'k8s', resource)), resource).toBe(true);
  });
});

describe('deploy files match the code', () => {
  it('use only environment names from SPEC §1 that src/config.ts reads', () => {
    const spec = specEnvNames();
    const configPath = join(root, 'src/config.ts');
    const config = existsSync(configPath) ? readFileSync(configPath, 'utf8') : null;
    const used = edgeEnvNames();
    expect(used.size).toBeGreaterThanOrEqual(10);
    for (const [name, where] of used) {
      expect(spec.has(name), `${name} (${where}) is not in SPEC §1's table`).toBe(true);
      if (config !== null) expect(config.includes(`'${name}'`), `${name} (${where}) is not read by src/config.ts`).toBe(true);
    }
  });

  it('ship no secret values: secrets come from the operator', () => {
    const secretNames = ['EDGE_NONCE_SECRET', 'EDGE_SECRET_KEY', 'EDGE_AUTH_TOKEN'];
    const secret = k8sObjects().find((o) => o.kind === 'Secret')!.stringData as Record<string, string>;
    for (const name of secretNames) expect(secret[name], `k8s Secret ${name}`).toBe('');
    const environment = compose().services.edge!.environment!;
    for (const name of secretNames) expect(environment[name], `compose ${name}`).toMatch(/^\$\{[A-Z_]+:[?-]/);
    for (const line of read('deploy/systemd/sip-edge.env').split('\n')) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line);
      if (match && secretNames.includes(match[1]!)) expect(match[2], `systemd env ${match[1]}`).toBe('');
    }
  });

  it('listen on 5060 (UDP and TCP) and 8080, as the code defaults do', () => {
    const configPath = join(root, 'src/config.ts');
    if (existsSync(configPath)) {
      const config = readFileSync(configPath, 'utf8');
      expect(config).toContain(`'0.0.0.0:${SIP_PORT}'`);
      expect(config).toContain(`'0.0.0.0:${HTTP_PORT}'`);
    }
    const edge = compose().services.edge!;
    expect(edge.environment!.SIP_LISTEN).toMatch(new RegExp(`:${SIP_PORT}$`));
    expect(edge.environment!.HTTP_LISTEN).toMatch(new RegExp(`:${HTTP_PORT}$`));
    expect(edge.ports).toEqual(expect.arrayContaining([
      `${SIP_PORT}:${SIP_PORT}/udp`, `${SIP_PORT}:${SIP_PORT}/tcp`, `${HTTP_PORT}:${HTTP_PORT}/tcp`,
    ]));

    const objects = k8sObjects();
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!.data as Record<string, string>;
    expect(configMap.SIP_LISTEN).toMatch(new RegExp(`:${SIP_PORT}$`));
    expect(configMap.HTTP_LISTEN).toMatch(new RegExp(`:${HTTP_PORT}$`));
    const containers = containersOf(objects);
    const edgeContainer = containers.find((c) => c.env?.some((e) => e.name === 'EDGE_ROLE' && e.value === 'edge'))!;
    const ports = edgeContainer.ports!.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`);
    expect(ports.sort()).toEqual([`${SIP_PORT}/TCP`, `${SIP_PORT}/UDP`, `${HTTP_PORT}/TCP`].sort());
    for (const container of containers) {
      const portNumber = (port: number | string) =>
        typeof port === 'number' ? port : container.ports!.find((p) => p.name === port)!.containerPort;
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(portNumber(container.livenessProbe!.httpGet!.port)).toBe(HTTP_PORT);
      expect(portNumber(container.readinessProbe!.httpGet!.port)).toBe(HTTP_PORT);
      expect(container.envFrom?.map((e) => e.configMapRef?.name ?? e.secretRef?.name).sort())
        .toEqual(['sip-edge-config', 'sip-edge-secrets']);
    }
    const sipService = objects.find((o) => o.kind === 'Service' && (o.metadata as Json).name === 'sip-edge-sip')!;
    const servicePorts = ((sipService.spec as Json).ports as { port: number; protocol: string }[])
      .map((p) => `${p.port}/${p.protocol}`).sort();
    expect(servicePorts).toEqual([`${SIP_PORT}/TCP`, `${SIP_PORT}/UDP`]);

    const prometheus = yamlDocuments('deploy/prometheus/prometheus.yml')[0] as {
      scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    const job = prometheus.scrape_configs.find((c) => c.job_name === 'sip-edge')!;
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs[0]!.targets).toEqual([`edge:${HTTP_PORT}`]);

    const dockerfile = read('deploy/Dockerfile');
    expect(dockerfile).toMatch(/^EXPOSE 5060\/udp 5060\/tcp 8080\/tcp$/m);
    expect(read('deploy/systemd/sip-edge.env')).toMatch(/^SIP_LISTEN=0\.0\.0\.0:5060$/m);
  });

  it('serve the probe and scrape paths from the code', async () => {
    const app = Fastify();
    const health = createHealthState({ expect: ['http'] });
    health.setListening('http', true);
    registerObservabilityRoutes(app, { registry: createMetrics({ defaultMetrics: false }).registry, health });
    try {
      for (const url of ['/healthz', '/readyz', '/metrics']) {
        expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      }
    } finally {
      await app.close();
    }
  });

  it('build the image on Node 24 and start it the way npm start does, under one image name', () => {
    const dockerfile = read('deploy/Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:24[-\w.]*$/m);
    expect(dockerfile).toContain('npm ci');
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)!;
    expect((JSON.parse(cmd[1]!) as string[]).join(' ')).toBe(start);
    expect(read('deploy/systemd/sip-edge.service')).toMatch(new RegExp(`^ExecStart=\\S*node_modules/\\.bin/${start.replace('.', '\\.')}$`, 'm'));

    const edge = compose().services.edge!;
    expect(edge.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(existsSync(join(deployDir, edge.build!.context, edge.build!.dockerfile))).toBe(true);
    for (const container of containersOf(k8sObjects())) expect(container.image).toBe(edge.image);
  });
});
