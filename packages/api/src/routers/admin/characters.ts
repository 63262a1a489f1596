// `admin.characters.*` and `admin.templates.*`: operators edit the character catalogue; every call is audited with its before and after.
import {
  ZAdminCharacterCreateInputSchema,
  ZAdminCharacterUpdateInputSchema,
  ZAdminSetActiveInputSchema,
  ZAdminTemplateCreateInputSchema,
  ZAdminTemplateUpdateInputSchema,
  ZCharacterAdminDtoSchema,
  ZEpisodeTemplateDtoSchema,
} from "@lockstep/contracts";
import { z } from "zod";
import {
  createCharacterAsAdmin,
  createTemplateAsAdmin,
  listCharactersAsAdmin,
  setCharacterActiveAsAdmin,
  setTemplateActiveAsAdmin,
  updateCharacterAsAdmin,
  updateTemplateAsAdmin,
} from "../../services/characters.ts";
import { adminProcedure, router } from "../../trpc.ts";

export const adminCharactersRouter = router({
  /** Every character, inactive ones and their inactive templates included, with system prompts. */
  list: adminProcedure.output(z.array(ZCharacterAdminDtoSchema)).query(({ ctx }) => listCharactersAsAdmin(ctx.adminDb)),
  create: adminProcedure
    .input(ZAdminCharacterCreateInputSchema)
    .output(ZCharacterAdminDtoSchema)
    .mutation(({ ctx, input }) => createCharacterAsAdmin(ctx.adminDb, input)),
  update: adminProcedure
    .input(ZAdminCharacterUpdateInputSchema)
    .output(ZCharacterAdminDtoSchema)
    .mutation(({ ctx, input }) => updateCharacterAsAdmin(ctx.adminDb, input)),
  setActive: adminProcedure
    .input(ZAdminSetActiveInputSchema)
    .output(ZCharacterAdminDtoSchema)
    .mutation(({ ctx, input }) => setCharacterActiveAsAdmin(ctx.adminDb, input)),
});

export const adminTemplatesRouter = router({
  create: adminProcedure
    .input(ZAdminTemplateCreateInputSchema)
    .output(ZEpisodeTemplateDtoSchema)
    .mutation(({ ctx, input }) => createTemplateAsAdmin(ctx.adminDb, input)),
  update: adminProcedure
    .input(ZAdminTemplateUpdateInputSchema)
    .output(ZEpisodeTemplateDtoSchema)
    .mutation(({ ctx, input }) => updateTemplateAsAdmin(ctx.adminDb, input)),
  setActive: adminProcedure
    .input(ZAdminSetActiveInputSchema)
    .output(ZEpisodeTemplateDtoSchema)
    .mutation(({ ctx, input }) => setTemplateActiveAsAdmin(ctx.adminDb, input)),
});
