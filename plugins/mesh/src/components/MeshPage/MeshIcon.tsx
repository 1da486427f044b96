import SvgIcon, { type SvgIconProps } from '@mui/material/SvgIcon';

/** The service mesh icon (three linked nodes), for the sidebar and the page header. */
export function MeshIcon(props: SvgIconProps) {
  return (
    <SvgIcon {...props}>
      <path d="M12 2a3 3 0 0 0-1 5.83v2.34L6.9 12.5a3 3 0 1 0 1 1.73L12 11.9l4.1 2.33a3 3 0 1 0 1-1.73L13 10.17V7.83A3 3 0 0 0 12 2Z" />
    </SvgIcon>
  );
}
