import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class ResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}

// The suite runs on shared 2-core machines, often beside other suites: rendering a whole test app
// with MUI dialogs and charts can take tens of seconds there. These are ceilings for a hang, not
// expectations of speed (no test asserts on time); one place for every test file of the plugin.
jest.setTimeout(180_000);
configure({ asyncUtilTimeout: 30_000 });
