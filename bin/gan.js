#!/usr/bin/env node
// Entry point of the `gan` CLI (npx gan …). The CLI itself is TypeScript compiled to dist/.
const path = require('path');
const fs = require('fs');

const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error(`gan: ${entry} is missing. Build the library first: npm run build (npm ci does it too).`);
  process.exit(1);
}
require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
