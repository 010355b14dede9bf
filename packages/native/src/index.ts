export { nativeEngine, contextConfig, defaultThreads, MULTITHREAD_MIN_EMBED, NATIVE_THREADS_ENV_VAR, type NativeEngineOptions } from './native-engine';
export { nativeStatus, loadNativeAddon, addonPath, NATIVE_ADDON_ENV_VAR, type NativeStatus, type NativeAddon, type NativeContext, type NativeContextConfig, type NativeProfile } from './addon';
export { paramOrder } from './param-order';
export { NativeError, type NativeErrorCode } from './errors';
