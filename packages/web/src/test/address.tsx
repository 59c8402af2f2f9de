/**
 * @module test/address
 * What a browser's address bar and Back button are to a page under test: `<Address />` shows
 * where the router is and offers Back; `currentAddress()` reads it.
 */
import { screen } from '@testing-library/react';
import { useLocation, useNavigate } from 'react-router';

export function Address() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output aria-label="Address">{location.pathname + location.search}</output>
      <button type="button" onClick={() => navigate(-1)}>
        Browser back
      </button>
    </>
  );
}

export function currentAddress(): string {
  return screen.getByRole('status', { name: 'Address' }).textContent ?? '';
}
