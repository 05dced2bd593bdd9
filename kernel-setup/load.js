// Loads a compiled library module from dist/, with a clear message when the build is missing.
const fs = require('fs');
const path = require('path');

exports.loadDist = function loadDist(mod) {
  const file = path.join(__dirname, '..', 'dist', 'src', `${mod}.js`);
  if (!fs.existsSync(file)) {
    console.error(
      `${file} is missing. Run \`npm ci\` (or \`npm run build\`) in ${path.dirname(__dirname)} first.`,
    );
    process.exit(1);
  }
  return require(file);
};
