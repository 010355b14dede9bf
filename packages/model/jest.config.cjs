const preset = require('../../jest.preset.cjs');
module.exports = {
  ...preset,
  // register_all_gradients (and what it imports) ships as extensionless ESM: let swc
  // compile it for jest.
  transformIgnorePatterns: ['/node_modules/(?!@tensorflow/tfjs-core/dist/)'],
};
