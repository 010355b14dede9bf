const preset = require('../../jest.preset.cjs');
module.exports = {
  ...preset,
  // The tests import '@tensorflow/tfjs-core/dist/register_all_gradients', which ships as
  // extensionless ESM: let swc compile tfjs-core's dist/ for jest.
  transformIgnorePatterns: ['/node_modules/(?!@tensorflow/tfjs-core/dist/)'],
};
