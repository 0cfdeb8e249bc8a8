#include "server/bootstrap.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "jwt/key_file.h"
#include "jwt/key_import.h"
#include "jwt/private_key.h"
#include "server/resource_names.h"

namespace signet::server {
absl::StatusOr<db::AccountRow> Bootstrap(db::Store& store,
                                         const BootstrapRequest& request) {
  if (!IsValidAccountId(request.account_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("account id \"", request.account_id,
                     "\" is not 6 to 30 characters of a-z, 0-9 and -"));
  }
  db::AccountRow account;
  account.account_id = request.account_id;
  account.email = absl::StrCat(request.account_id, "@", request.account_domain);
  account.display_name = "signet administrator";
  // Chosen here, not by the store: a generated key file carries it, and is
  // written before the store commits.
  account.uid = NewUniqueId();

  if (request.public_key_data.has_value()) {
    SIGNET_ASSIGN_OR_RETURN(jwt::ImportedPublicKey imported,
                            jwt::ImportPublicKey(*request.public_key_data));
    return store.Bootstrap(account, KeyRowFor(account.account_id, imported.key,
                                              "uploaded", imported.validity));
  }

  // The file is written before the store commits; if the store refuses for
  // certain, the file goes again. When the outcome is unknown (the
  // connection broke during the commit), the file stays: the admin may
  // exist, and without its key it could not be used.
  SIGNET_ASSIGN_OR_RETURN(jwt::PrivateKey key,
                          jwt::PrivateKey::Generate(request.algorithm));
  db::KeyRow row =
      KeyRowFor(account.account_id, key.public_key(), "generated", {});
  SIGNET_RETURN_IF_ERROR(WritePrivateFile(
      request.key_file_path,
      jwt::SerializeKeyFile(jwt::KeyFile{
          request.key_file_fields.project_id, row.key_id, key.ToPkcs8Pem(),
          account.email, account.uid, request.key_file_fields.token_uri})));
  absl::StatusOr<db::AccountRow> created = store.Bootstrap(account, row);
  if (!created.ok() && !absl::IsUnavailable(created.status())) {
    unlink(request.key_file_path.c_str());
  }
  return created;
}

}  // namespace signet::server
