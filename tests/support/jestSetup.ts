/** Runs in every test file before its tests (jest's setupFilesAfterEnv). */
import { afterEach } from '@jest/globals';
import { runTestCleanups } from './testHooks';

afterEach(runTestCleanups);
