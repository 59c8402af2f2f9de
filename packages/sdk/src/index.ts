/** @module @cleave/sdk: the JavaScript SDK (built out by the SDK delivery issue). */
export const SDK_NAME = 'cleave-js';
