// npm start: the desktop app where the Electron binary is present; otherwise says so and starts
// the browser host on 127.0.0.1 instead.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
buildIfNeeded(root);
const electron = electronBinary();
let child;
if (electron) {
  child = spawn(electron, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
} else {
  console.log('The Electron binary is not installed on this machine (it is downloaded on first use, and this machine');
  console.log('cannot download it), so Clusterscope starts in your browser instead: the same app, served on 127.0.0.1.');
  child = spawn(process.execPath, [join(root, 'out/main/server.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
