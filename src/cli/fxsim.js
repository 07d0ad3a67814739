#!/usr/bin/env node
// The fxsim executable: run the TypeScript CLI through tsx's ESM loader.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./main.ts');
await run();
