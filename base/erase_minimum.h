#ifndef SIGNET_BASE_ERASE_MINIMUM_H_
#define SIGNET_BASE_ERASE_MINIMUM_H_

namespace signet {

// Erases the entry of `map` whose value has the smallest `order(value)`,
// such as the one fetched longest ago or expiring soonest: how signet's
// bounded caches make room. A linear scan, run only when a cache is full.
template <typename Map, typename Order>
void EraseMinimum(Map& map, Order order) {
  auto smallest = map.begin();
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (order(it->second) < order(smallest->second)) smallest = it;
  }
  if (smallest != map.end()) map.erase(smallest);
}

}  // namespace signet

#endif  // SIGNET_BASE_ERASE_MINIMUM_H_
