/**
 * @module Test setup (vitest.config.ts): core's unit tests import its modules directly rather
 * than through the main entry, which installs the `matches` engine (regex/pattern-engine.ts); so
 * does this, before every test file. The SDK's loading of the engine on demand is tested on its
 * bundles, which this setup does not reach (packages/sdk/src/browser/).
 */
import { installRegexEngine } from '../evaluation/regex/install-regex-engine.js';

installRegexEngine();
