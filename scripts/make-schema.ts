// `npm run schema`: writes schemas/model.schema.json from the architecture registry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelJsonSchemaText } from '../src/core/model/schema';

writeFileSync(join(__dirname, '..', 'schemas', 'model.schema.json'), modelJsonSchemaText());
console.log('wrote schemas/model.schema.json');
