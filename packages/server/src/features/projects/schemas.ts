/**
 * @module features/projects/schemas
 * Request and response schemas of the projects API (handler types and OpenAPI come from these).
 */
import { z } from 'zod';
import {
  Description,
  DisplayName,
  ProjectParams,
  ResourceKey,
  Timestamp,
  WriteVersion,
} from '../../http/api-schemas.js';
import { PageQuery, pageResponse } from '../../http/pagination.js';

export const EnvironmentResponse = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  position: z.number().int(),
  configVersion: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});

export const ProjectResponse = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});

export const ProjectDetailResponse = ProjectResponse.extend({ environments: z.array(EnvironmentResponse) });

export const CreateProjectBody = z.object({
  key: ResourceKey,
  name: DisplayName,
  description: Description.optional(),
});

export const UpdateProjectBody = z.object({
  name: DisplayName.optional(),
  description: Description.optional(),
  version: WriteVersion,
});

export const DeleteProjectBody = z
  .object({ version: WriteVersion.optional() })
  .nullish()
  .describe('The version you read, here or as If-Match (one is required)');

export const CreateEnvironmentBody = z.object({ key: ResourceKey, name: DisplayName });

export const ListProjectsQuery = PageQuery;
export const ProjectPage = pageResponse(ProjectResponse);
export { ProjectParams };
export const EnvironmentList = z.object({ items: z.array(EnvironmentResponse) });
