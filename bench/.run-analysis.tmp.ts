import { suite } from './analysis/suite.js';
await suite.run();
