import { createContext, useContext } from 'react';

/** What every node and edge of one graph reads besides its own data (kept out of node data so
 * that a search or a selection does not rebuild the nodes). */
export interface TopologyUi {
  /** Ids matching the search; null when there is no search. */
  matches: Set<string> | null;
  selectedId?: string;
  toggleGroup(groupId: string): void;
}

export const TopologyUiContext = createContext<TopologyUi>({
  matches: null,
  toggleGroup: () => {},
});

export const useTopologyUi = () => useContext(TopologyUiContext);
