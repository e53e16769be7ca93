// Browser tests of Recovery Tracker: Debian's Chromium (never a downloaded browser), every
// test run twice, once with JavaScript disabled ("ssr") and once enabled ("hydrate").
const { defineConfig } = require('@playwright/test');

const PORT = process.env.RT_E2E_PORT || '3100';
// The demo instance (`server demo-data`) the dashboards' tests read.
const DEMO_PORT = process.env.RT_E2E_DEMO_PORT || String(Number(PORT) + 1);
process.env.RT_E2E_DEMO_PORT = DEMO_PORT;

module.exports = defineConfig({
  testDir: './tests',
  // One server and one database; two cores: run tests one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.RT_CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'ssr', use: { javaScriptEnabled: false } },
    { name: 'hydrate', use: { javaScriptEnabled: true } },
  ],
  webServer: [
    {
      command: 'bash ./start-server.sh',
      url: `http://127.0.0.1:${PORT}/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { RT_E2E_PORT: PORT },
    },
    {
      command: 'bash ./start-demo-server.sh',
      url: `http://127.0.0.1:${DEMO_PORT}/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { RT_E2E_DEMO_PORT: DEMO_PORT },
    },
  ],
});
