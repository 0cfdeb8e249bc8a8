#include "server/proto_conversions.h"

#include "absl/strings/escaping.h"
#include "jwt/public_key.h"
#include "server/resource_names.h"

namespace signet::server {
namespace {

constexpr struct {
  v1::Role role;
  const char* name;
} kRoles[] = {
    {v1::ADMIN, "admin"},
    {v1::ACCOUNT_ADMIN, "account_admin"},
    {v1::KEY_ADMIN, "key_admin"},
    {v1::VIEWER, "viewer"},
};

v1::Role RoleOf(const std::string& name) {
  for (const auto& entry : kRoles) {
    if (name == entry.name) return entry.role;
  }
  return v1::ROLE_UNSPECIFIED;
}

}  // namespace

void SetTimestamp(absl::Time time, google::protobuf::Timestamp* timestamp) {
  int64_t seconds = absl::ToUnixSeconds(time);
  timestamp->set_seconds(seconds);
  timestamp->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
}

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

v1::ServiceAccount AccountToProto(const db::AccountRow& account) {
  v1::ServiceAccount proto;
  proto.set_name(AccountName(account.account_id));
  proto.set_account_id(account.account_id);
  proto.set_email(account.email);
  proto.set_unique_id(account.uid);
  proto.set_display_name(account.display_name);
  proto.set_description(account.description);
  proto.set_disabled(account.disabled);
  SetTimestamp(account.created_at, proto.mutable_create_time());
  SetTimestamp(account.updated_at, proto.mutable_update_time());
  return proto;
}

v1::Key KeyToProto(const db::KeyRow& key) {
  v1::Key proto;
  proto.set_name(KeyResourceName(key.account_id, key.key_id));
  proto.set_key_id(key.key_id);
  proto.set_algorithm(key.algorithm);
  absl::StatusOr<jwt::PublicKey> public_key =
      jwt::PublicKey::FromSpkiDer(key.public_key_der);
  if (public_key.ok()) proto.set_public_key_pem(public_key->ToPem());
  proto.set_fingerprint(absl::BytesToHexString(key.fingerprint));
  proto.set_origin(key.origin == "generated" ? v1::Key::GENERATED
                                             : v1::Key::UPLOADED);
  if (key.valid_after)
    SetTimestamp(*key.valid_after, proto.mutable_valid_after());
  if (key.valid_before) {
    SetTimestamp(*key.valid_before, proto.mutable_valid_before());
  }
  proto.set_disabled(key.disabled);
  SetTimestamp(key.created_at, proto.mutable_create_time());
  return proto;
}

v1::RoleBinding BindingToProto(const db::BindingRow& binding) {
  v1::RoleBinding proto;
  proto.set_member(AccountName(binding.member_account_id));
  proto.set_role(RoleOf(binding.role));
  if (binding.scope_account_id) {
    proto.set_scope(AccountName(*binding.scope_account_id));
  }
  SetTimestamp(binding.created_at, proto.mutable_create_time());
  return proto;
}

v1::AuditEvent AuditToProto(const db::AuditRow& event) {
  v1::AuditEvent proto;
  proto.set_id(event.id);
  SetTimestamp(event.at, proto.mutable_time());
  proto.set_actor(event.actor);
  proto.set_method(event.method);
  proto.set_resource(event.resource);
  proto.set_outcome(event.outcome);
  proto.set_detail(event.detail);
  return proto;
}

std::optional<std::string> RoleName(v1::Role role) {
  for (const auto& entry : kRoles) {
    if (role == entry.role) return entry.name;
  }
  return std::nullopt;
}

}  // namespace signet::server
