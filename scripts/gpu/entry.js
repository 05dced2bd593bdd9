// Entry of the self-contained GPU-check bundle (scripts/gpu/pack.sh): the `gan` CLI.
require('../../dist/src/cli/main')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
