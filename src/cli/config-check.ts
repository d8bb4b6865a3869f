import { formatReport } from '../config/config-report';
import { inspectProcessConfig } from '../config/process-config';

/** `npm run config:check` (or `node dist/cli/config-check.js` in the image): exit 1 on a problem. */
const inspection = inspectProcessConfig();
process.stdout.write(formatReport(inspection));
process.exitCode = inspection.problems.length > 0 ? 1 : 0;
