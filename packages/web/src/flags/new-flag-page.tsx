/**
 * @module flags/new-flag-page
 * Creating a flag: key, name, type, variants (validated as typed), the variants served by default
 * and when off, tags. It starts off in every environment.
 */
import { Alert, Button, Group, Select, Stack, TagsInput, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { fieldError } from '../api/api-error.js';
import { api, unwrap } from '../api/client.js';
import type { paths } from '../api/schema.gen.js';
import { keyFromName } from '../pages/home-page.js';
import { FormError } from '../pages/sign-in-page.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { type FlagType, flagsKey } from './queries.js';
import { defaultVariantText } from './variant-value.js';
import { type VariantDraft, VariantsEditor, variantsFromDrafts } from './variants-editor.js';

const TYPES: { value: FlagType; label: string }[] = [
  { value: 'boolean', label: 'Boolean' },
  { value: 'string', label: 'String' },
  { value: 'number', label: 'Number' },
  { value: 'json', label: 'JSON' },
];

function startingVariants(type: FlagType): VariantDraft[] {
  if (type === 'boolean')
    return [
      { key: 'off', valueText: 'false' },
      { key: 'on', valueText: 'true' },
    ];
  return [
    { key: 'control', valueText: defaultVariantText(type, 0) },
    { key: 'treatment', valueText: defaultVariantText(type, 1) },
  ];
}

export function NewFlagPage() {
  const { projectKey, canWrite } = useProjectScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [type, setType] = useState<FlagType>('boolean');
  const [variants, setVariants] = useState<VariantDraft[]>(startingVariants('boolean'));
  const [defaultVariant, setDefaultVariant] = useState<string | null>('off');
  const [offVariant, setOffVariant] = useState<string | null>('off');
  const [tags, setTags] = useState<string[]>([]);
  const effectiveKey = key ?? keyFromName(name);

  const create = useMutation({
    mutationFn: (body: Parameters<typeof createFlag>[1]) => createFlag(projectKey, body),
    onSuccess: async (flag) => {
      await queryClient.invalidateQueries({ queryKey: flagsKey(projectKey) });
      navigate(`/projects/${projectKey}/flags/${flag.key}`);
    },
  });
  const parsedVariants = variantsFromDrafts(type, variants);
  const variantKeys = variants.map((variant) => variant.key.trim()).filter(Boolean);

  const changeType = (next: FlagType) => {
    setType(next);
    const fresh = startingVariants(next);
    setVariants(fresh);
    setDefaultVariant(fresh[0]?.key ?? null);
    setOffVariant(fresh[0]?.key ?? null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!parsedVariants || !defaultVariant || !offVariant) return;
    create.mutate({
      key: effectiveKey,
      ...(name.trim() && { name: name.trim() }),
      ...(description.trim() && { description: description.trim() }),
      type,
      variants: parsedVariants,
      defaultVariant,
      offVariant,
      tags,
    });
  };

  if (!canWrite) return <Alert color="yellow">Your role in this project cannot create flags.</Alert>;
  const apiError = (pointer: string) => fieldError(create.error, pointer);
  return (
    <form onSubmit={submit} noValidate>
      <Title order={2} mb="md">
        New flag
      </Title>
      <Stack maw={760}>
        <Group grow align="start">
          <TextInput label="Name" value={name} onChange={(event) => setName(event.currentTarget.value)} />
          <TextInput
            label="Key"
            description="What the code asks for; cannot change later."
            required
            value={effectiveKey}
            onChange={(event) => setKey(event.currentTarget.value)}
            error={apiError('/key')}
          />
        </Group>
        <Textarea
          label="Description"
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
        <Select
          label="Type"
          data={TYPES}
          value={type}
          onChange={(value) => value && changeType(value as FlagType)}
          allowDeselect={false}
          w={200}
        />
        <VariantsEditor type={type} variants={variants} onChange={setVariants} apiError={apiError} />
        <Group grow>
          <Select
            label="Served when on and no rule matches"
            data={variantKeys}
            value={defaultVariant}
            onChange={setDefaultVariant}
            error={apiError('/defaultVariant')}
          />
          <Select
            label="Served when off"
            data={variantKeys}
            value={offVariant}
            onChange={setOffVariant}
            error={apiError('/offVariant')}
          />
        </Group>
        <TagsInput label="Tags" value={tags} onChange={setTags} error={apiError('/tags')} />
        <FormError error={create.error} />
        <Group>
          <Button type="submit" loading={create.isPending} disabled={!parsedVariants}>
            Create flag
          </Button>
          <Button variant="default" component={Link} to={`/projects/${projectKey}/flags`}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type CreateFlagBody =
  paths['/api/v1/projects/{projectKey}/flags']['post']['requestBody']['content']['application/json'];

function createFlag(projectKey: string, body: CreateFlagBody) {
  return unwrap(api.POST('/api/v1/projects/{projectKey}/flags', { params: { path: { projectKey } }, body }));
}
