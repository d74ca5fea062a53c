import { describe, expect, it } from 'vitest';
import { isSafeDocumentId, partnerIdSchema, professionalIdSchema, sourceNameSchema, webhookIdSchema } from '../../shared/lib/ids';
import { createOnce, deleteDocument, patchDocument, readDocument, replaceDocument, UnsafeDocumentIdError, updateDocument, upsertDocument } from '../../shared/store/documents';

// Each of these made Cosmos DB misbehave: `?` turned a point read into a listing of the container, / \ # gave 500s.
const UNSAFE = ['?', 'a?b', '#', 'a/b', 'a\\b', 'a\nb', 'a\rb', 'a\u0000b', 'a\u007fb', ''];

describe('the one safe-id rule', () => {
  it('refuses / \\ ? #, control characters and the empty string in every id schema', () => {
    for (const id of UNSAFE) {
      expect(isSafeDocumentId(id), JSON.stringify(id)).toBe(false);
      for (const schema of [partnerIdSchema, professionalIdSchema, webhookIdSchema, sourceNameSchema]) expect(schema.safeParse(id).success, JSON.stringify(id)).toBe(false);
    }
    for (const id of ['p-1', 'msg_2Kx0Yx2', 'crm', '4f6c1b2e-0000-4000-8000-000000000000', 'Ünïcødé partner']) expect(isSafeDocumentId(id)).toBe(true);
  });

  it('is enforced by the store before any request: no caller can send such an id to Cosmos DB, even by mistake', async () => {
    const doc = (id: string, partnerId = 'p1') => ({ id, partnerId });
    for (const id of UNSAFE) {
      await expect(readDocument('receipts', id, id)).rejects.toBeInstanceOf(UnsafeDocumentIdError);
      await expect(readDocument('partners', id, 'profile')).rejects.toBeInstanceOf(UnsafeDocumentIdError);
      await expect(createOnce('partners', doc(id))).rejects.toBeInstanceOf(UnsafeDocumentIdError);
      await expect(createOnce('partners', doc('profile', id))).rejects.toBeInstanceOf(UnsafeDocumentIdError);
      await expect(upsertDocument('receipts', doc(id))).rejects.toBeInstanceOf(UnsafeDocumentIdError);
      await expect(replaceDocument('partners', 'p1', doc(id))).rejects.toBeInstanceOf(UnsafeDocumentIdError);
      await expect(patchDocument('runs', id, id, [])).rejects.toBeInstanceOf(UnsafeDocumentIdError);
      await expect(deleteDocument('deadletters', id, id)).rejects.toBeInstanceOf(UnsafeDocumentIdError);
      await expect(updateDocument('partners', 'p1', id, () => doc(id), () => true)).rejects.toBeInstanceOf(UnsafeDocumentIdError);
    }
  });
});
