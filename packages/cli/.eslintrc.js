module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The package ships a bundle (scripts/bundle-cli.mjs) with every import inlined, so all of
    // them are devDependencies: an installed meshstage needs nothing from a registry. The rule
    // would ask for them in dependencies.
    '@backstage/no-undeclared-imports': 'off',
  },
});
