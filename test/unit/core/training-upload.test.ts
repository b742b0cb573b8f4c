import { describe, expect, it } from 'vitest';
import { ConfirmationUpload } from '../../../core/contract/central-api.js';

describe('central upload contract', () => {
  const upload = (content: Record<string, unknown>) => ({ id: '123e4567-e89b-42d3-a456-426614174000', citizenId: '410105200203140223', content });

  it('refuses a training record that reached the server anyway (they never leave the station)', () => {
    expect(ConfirmationUpload.safeParse(upload({ outcome: 'confirmed' })).success).toBe(true);
    const refused = ConfirmationUpload.safeParse(upload({ outcome: 'confirmed', training: true }));
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain('training records are not accepted');
  });
});
