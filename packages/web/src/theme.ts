/**
 * @module theme
 * Mantine's theme with contrast fixed for WCAG AA (axe-core checks every main page): dimmed text
 * one shade darker than Mantine's default, links in running text underlined.
 */
import { Anchor, type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 6 },
  // Filled buttons and badges pick black or white text by their colour's luminance.
  autoContrast: true,
  components: {
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
