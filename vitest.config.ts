import { configDefaults, defineConfig } from 'vitest/config';

// One project per kind of service, so a run starts only the services its tests need:
// `unit` needs nothing but Node (contract tests with recorded fakes run here too); the others
// install (cached) and start a real service once per run in their globalSetup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts', 'test/**/*.contract.test.ts'],
          // Contract tests that also need a real server run in the project that starts it.
          exclude: [...configDefaults.exclude, 'test/relay/**', 'test/mlflow/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          // The webhook relay: its CLI bundle against a fake GitHub from GitHub's OpenAPI description,
          // with deliveries from a real MLflow server that the delivery test starts itself.
          name: 'relay',
          include: ['test/relay/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          // test/e2e runs whole pipelines (MLflow, S3, and a git server each file starts); it shares
          // this project so the MLflow servers are started and seeded once per run, not twice.
          name: 'mlflow',
          // test/k8s needs MLflow too (aliases move after a promotion), so the control plane (etcd,
          // kube-apiserver, controllers, kwok, the real Argo Rollouts controller; built once from their Go
          // modules by scripts/services/k8s/build.sh) starts here rather than in a project of its own.
          include: [
            'test/mlflow/**/*.int.test.ts',
            'test/mlflow/**/*.contract.test.ts',
            'test/e2e/**/*.int.test.ts',
            'test/k8s/**/*.int.test.ts',
          ],
          globalSetup: ['test/setup/mlflow.global.ts', 'test/setup/s3.global.ts', 'test/setup/k8s.global.ts'],
          testTimeout: 300_000,
          hookTimeout: 3_600_000,
        },
      },
      {
        test: {
          // Each file starts its own smart-HTTP git server (test/setup/git-http.ts).
          name: 'git',
          include: ['test/git/**/*.int.test.ts'],
          testTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'viewer',
          include: ['test/viewer/**/*.int.test.ts'],
          globalSetup: ['test/setup/chromium.global.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 's3',
          include: ['test/s3/**/*.int.test.ts'],
          globalSetup: ['test/setup/s3.global.ts'],
          testTimeout: 300_000,
          hookTimeout: 3_600_000,
        },
      },
      {
        test: {
          // The docker CLI against podman's engine, and the same scenarios as local processes.
          name: 'containers',
          include: ['test/containers/**/*.int.test.ts'],
          globalSetup: ['test/setup/containers.global.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
