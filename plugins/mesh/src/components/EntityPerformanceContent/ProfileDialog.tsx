import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import type {
  BenchmarkProfile,
  BenchmarkProfileInput,
} from '@meshstage/plugin-mesh-common';
import {
  ENGINES,
  PROTOCOLS,
  SAMPLE_ECHO,
  emptyProfileForm,
  fieldErrorFromMessage,
  formToProfile,
  profileToForm,
  withSampleEcho,
  type FieldErrors,
  type ProfileForm,
} from '../../lib/benchmarkProfileForm';
import { backendMessage } from './errors';

/**
 * Create or edit a performance profile (SMP-style fields). The backend validates: its 400 is
 * shown above the form and next to the field it names.
 */
export function ProfileDialog(props: {
  open: boolean;
  /** The profile to edit; a new one when absent. */
  profile?: BenchmarkProfile;
  entityRef: string;
  onClose: () => void;
  onSave: (profile: BenchmarkProfileInput) => Promise<void>;
}) {
  const { open, profile, entityRef, onClose, onSave } = props;
  const [form, setForm] = useState<ProfileForm>(() =>
    profile ? profileToForm(profile) : emptyProfileForm(),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const [saving, setSaving] = useState(false);

  const set = (patch: Partial<ProfileForm>) =>
    setForm(f => ({ ...f, ...patch }));
  const setEndpoint = (
    i: number,
    patch: Partial<ProfileForm['endpoints'][0]>,
  ) =>
    setForm(f => ({
      ...f,
      endpoints: f.endpoints.map((e, j) => (j === i ? { ...e, ...patch } : e)),
    }));
  const err = (field: string) => errors[field];

  const save = async () => {
    const built = formToProfile(form, entityRef);
    setErrors(built.errors);
    if (!built.profile) {
      setMessage('Fix the highlighted fields.');
      return;
    }
    setMessage(undefined);
    setSaving(true);
    try {
      await onSave(built.profile);
    } catch (e) {
      const text = backendMessage(e);
      const field = fieldErrorFromMessage(text);
      setMessage(text);
      setErrors(field ? { [field.field]: field.message } : {});
    } finally {
      setSaving(false);
    }
  };

  const title = profile
    ? `Edit profile ${profile.name}`
    : 'New performance profile';
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {message && (
          <Alert severity="error" sx={{ mb: 2 }} role="alert">
            {message}
          </Alert>
        )}
        <Box sx={{ mb: 2 }}>
          <Typography variant="body2" color="text.secondary">
            The development cluster's sample echo app (deploy it from the Mesh
            tab or with <code>deploy-sample</code> <code>echo</code>) answers at{' '}
            <code>{SAMPLE_ECHO.url}</code> from load-generator pods in cluster{' '}
            <code>{SAMPLE_ECHO.cluster}</code>, namespace{' '}
            <code>{SAMPLE_ECHO.namespace}</code>.
          </Typography>
          <Button size="small" onClick={() => setForm(f => withSampleEcho(f))}>
            Use the sample echo target
          </Button>
        </Box>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            <TextField
              label="Name"
              value={form.name}
              onChange={e => set({ name: e.target.value })}
              required
              fullWidth
              error={!!err('name')}
              helperText={err('name')}
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              label="Description"
              value={form.description}
              onChange={e => set({ description: e.target.value })}
              fullWidth
              error={!!err('description')}
              helperText={err('description')}
            />
          </Grid>
          {form.endpoints.map((e, i) => (
            <Grid item xs={12} key={i}>
              <Box
                role="group"
                aria-label={`Endpoint ${i + 1}`}
                sx={{
                  border: 1,
                  borderColor: 'divider',
                  borderRadius: 1,
                  p: 1.5,
                }}
              >
                <Grid container spacing={1} alignItems="flex-start">
                  <Grid item xs={12} sm={8}>
                    <TextField
                      label={`Endpoint ${i + 1} URL`}
                      placeholder={SAMPLE_ECHO.url}
                      value={e.url}
                      onChange={ev => setEndpoint(i, { url: ev.target.value })}
                      required
                      fullWidth
                      error={
                        !!err(`endpoints.${i}.url`) || !!err(`endpoints.${i}`)
                      }
                      helperText={
                        err(`endpoints.${i}.url`) ?? err(`endpoints.${i}`)
                      }
                    />
                  </Grid>
                  <Grid item xs={8} sm={3}>
                    <TextField
                      label={`Endpoint ${i + 1} method`}
                      value={e.method}
                      onChange={ev =>
                        setEndpoint(i, { method: ev.target.value })
                      }
                      fullWidth
                      error={!!err(`endpoints.${i}.method`)}
                      helperText={err(`endpoints.${i}.method`)}
                    />
                  </Grid>
                  <Grid item xs={4} sm={1}>
                    <Button
                      size="small"
                      aria-label={`Remove endpoint ${i + 1}`}
                      disabled={form.endpoints.length === 1}
                      onClick={() =>
                        set({
                          endpoints: form.endpoints.filter((_, j) => j !== i),
                        })
                      }
                    >
                      Remove
                    </Button>
                  </Grid>
                  <Grid item xs={12} sm={6}>
                    <TextField
                      label={`Endpoint ${i + 1} headers`}
                      placeholder="Content-Type: application/json"
                      value={e.headers}
                      onChange={ev =>
                        setEndpoint(i, { headers: ev.target.value })
                      }
                      multiline
                      minRows={2}
                      fullWidth
                      error={!!err(`endpoints.${i}.headers`)}
                      helperText={
                        err(`endpoints.${i}.headers`) ??
                        'One "Name: value" per line'
                      }
                    />
                  </Grid>
                  <Grid item xs={12} sm={6}>
                    <TextField
                      label={`Endpoint ${i + 1} body`}
                      value={e.body}
                      onChange={ev => setEndpoint(i, { body: ev.target.value })}
                      multiline
                      minRows={2}
                      fullWidth
                      error={!!err(`endpoints.${i}.body`)}
                      helperText={err(`endpoints.${i}.body`)}
                    />
                  </Grid>
                </Grid>
              </Box>
            </Grid>
          ))}
          <Grid item xs={12}>
            <Button
              size="small"
              onClick={() =>
                set({
                  endpoints: [
                    ...form.endpoints,
                    { url: '', method: 'GET', headers: '', body: '' },
                  ],
                })
              }
            >
              Add endpoint
            </Button>
            {err('endpoints') && (
              <Typography color="error" variant="body2">
                {err('endpoints')}
              </Typography>
            )}
          </Grid>
          <Grid item xs={6} sm={3}>
            <TextField
              label="Connections"
              type="number"
              value={form.connections}
              onChange={e => set({ connections: e.target.value })}
              fullWidth
              inputProps={{ min: 1 }}
              error={!!err('connections')}
              helperText={err('connections')}
            />
          </Grid>
          <Grid item xs={6} sm={3}>
            <ToggleButtonGroup
              exclusive
              size="small"
              aria-label="Load"
              value={form.loadMode}
              onChange={(_e, v) => v && set({ loadMode: v })}
            >
              <ToggleButton value="max">Max rate</ToggleButton>
              <ToggleButton value="rate">Fixed rate</ToggleButton>
            </ToggleButtonGroup>
          </Grid>
          <Grid item xs={6} sm={3}>
            <TextField
              label="Rate (requests/s)"
              type="number"
              value={form.rate}
              disabled={form.loadMode === 'max'}
              onChange={e => set({ rate: e.target.value })}
              fullWidth
              error={!!err('rate')}
              helperText={
                err('rate') ??
                (form.loadMode === 'max' ? 'As fast as possible' : '')
              }
            />
          </Grid>
          <Grid item xs={6} sm={3}>
            <TextField
              label="Duration"
              placeholder="10s"
              value={form.duration}
              onChange={e => set({ duration: e.target.value })}
              fullWidth
              error={!!err('duration')}
              helperText={err('duration') ?? 'e.g. 10s, 1m30s'}
            />
          </Grid>
          <Grid item xs={6} sm={3}>
            <TextField
              label="Warmup"
              placeholder="1s"
              value={form.warmup}
              onChange={e => set({ warmup: e.target.value })}
              fullWidth
              error={!!err('warmup')}
              helperText={err('warmup') ?? 'Not measured'}
            />
          </Grid>
          <Grid item xs={6} sm={3}>
            <TextField
              select
              label="Protocol"
              value={form.protocol}
              onChange={e =>
                set({ protocol: e.target.value as ProfileForm['protocol'] })
              }
              fullWidth
              error={!!err('protocol')}
              helperText={err('protocol')}
            >
              {PROTOCOLS.map(p => (
                <MenuItem key={p.value} value={p.value}>
                  {p.label}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              select
              label="Engine"
              value={form.engine}
              onChange={e =>
                set({ engine: e.target.value as ProfileForm['engine'] })
              }
              fullWidth
              error={!!err('engine')}
              helperText={err('engine')}
            >
              {ENGINES.map(p => (
                <MenuItem key={p.value} value={p.value}>
                  {p.label}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={form.inCluster}
                  onChange={e => set({ inCluster: e.target.checked })}
                />
              }
              label="Run in-cluster (a Job of load-generator pods)"
            />
          </Grid>
          {form.inCluster && (
            <>
              <Grid item xs={12} sm={4}>
                <TextField
                  label="Cluster"
                  value={form.cluster}
                  onChange={e => set({ cluster: e.target.value })}
                  fullWidth
                  error={!!err('inCluster.cluster')}
                  helperText={err('inCluster.cluster')}
                />
              </Grid>
              <Grid item xs={12} sm={4}>
                <TextField
                  label="Namespace"
                  value={form.namespace}
                  onChange={e => set({ namespace: e.target.value })}
                  fullWidth
                  error={!!err('inCluster.namespace')}
                  helperText={err('inCluster.namespace')}
                />
              </Grid>
              <Grid item xs={12} sm={4}>
                <TextField
                  label="Pods"
                  type="number"
                  value={form.pods}
                  onChange={e => set({ pods: e.target.value })}
                  fullWidth
                  inputProps={{ min: 1 }}
                  error={!!err('inCluster.pods')}
                  helperText={
                    err('inCluster.pods') ??
                    'Connections and rate are split among them'
                  }
                />
              </Grid>
            </>
          )}
          <Grid item xs={12}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={form.forEntity}
                  onChange={e => set({ forEntity: e.target.checked })}
                />
              }
              label={`Only for ${entityRef} (otherwise global)`}
            />
          </Grid>
        </Grid>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={save} disabled={saving}>
          {profile ? 'Save profile' : 'Create profile'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
