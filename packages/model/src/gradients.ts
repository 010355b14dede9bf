// Registers every tfjs-core gradient (importing tfjs-core alone registers none, so no
// backward pass would run). The file is extensionless ESM that plain Node cannot load,
// so tsup bundles it into dist/ (see tsup.config.ts) and jest compiles it with swc.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
