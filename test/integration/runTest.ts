// The integration suite in desktop VS Code, for machines with internet access:
// @vscode/test-electron downloads a VS Code build, then runs out/integration/index.js (the same
// suite that runs in code-server offline) with this extension under development.
//
//   npm run test:electron            (builds, bundles the suite, runs it)
//   VSCODE_VERSION=1.100.3 npm run test:electron
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const workspace = path.resolve(process.argv[2] ?? path.join(root, 'examples'));
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'integration', 'index.js'),
      extensionTestsEnv: { SCYFI_INTEGRATION_RESULTS: path.join(root, 'test-results', 'integration-electron.log') },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (e) {
    console.error(`integration tests failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

void main();
