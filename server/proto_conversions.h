#ifndef SIGNET_SERVER_PROTO_CONVERSIONS_H_
#define SIGNET_SERVER_PROTO_CONVERSIONS_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "db/store.h"
#include "google/protobuf/timestamp.pb.h"
#include "signet/v1/account_service.pb.h"

namespace signet::server {

void SetTimestamp(absl::Time time, google::protobuf::Timestamp* timestamp);
absl::Time TimeOf(const google::protobuf::Timestamp& timestamp);

v1::ServiceAccount AccountToProto(const db::AccountRow& account);
v1::Key KeyToProto(const db::KeyRow& key);
v1::RoleBinding BindingToProto(const db::BindingRow& binding);
v1::AuditEvent AuditToProto(const db::AuditRow& event);

// The store's role name ("key_admin") of a proto role, or nullopt for
// ROLE_UNSPECIFIED and unknown values.
std::optional<std::string> RoleName(v1::Role role);

}  // namespace signet::server

#endif  // SIGNET_SERVER_PROTO_CONVERSIONS_H_
