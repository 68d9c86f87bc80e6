//! moto_server (PyPI `moto[server]`) on a free port: a real S3 and SNS API.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use crate::{workspace_root, TestEnv};

pub struct Moto {
    pub endpoint: String,
    child: Child,
}

fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("CREPO_TEST_MOTO_SERVER") {
        return path.into();
    }
    let venv = workspace_root().join(".venv/bin/moto_server");
    assert!(
        venv.exists(),
        "moto_server not found at {}: run `make venv` (python3 -m venv .venv && .venv/bin/pip install 'moto[server]')",
        venv.display()
    );
    venv
}

impl Moto {
    pub async fn start() -> Moto {
        crate::init_once();
        // A free port can be taken by another test's server before moto binds
        // it: then moto exits, or something else answers. Try another port.
        for _ in 0..5 {
            if let Some(moto) = Self::start_on_free_port().await {
                return moto;
            }
        }
        panic!("moto_server did not start");
    }

    async fn start_on_free_port() -> Option<Moto> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start moto_server");
        let mut moto = Moto {
            endpoint: format!("http://127.0.0.1:{port}"),
            child,
        };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if moto.child.try_wait().ok().flatten().is_some() {
                return None;
            }
            let res = client
                .get(format!("{}/moto-api/", moto.endpoint))
                .send()
                .await;
            match res {
                // Only moto answers its own API with 200.
                Ok(r) if r.status().is_success() => return Some(moto),
                Ok(_) => return None,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        None
    }

    /// Stops the server (the endpoint refuses connections) and forgets all
    /// it held, as an outage of the service would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts again on the same port (empty, like a fresh service).
    pub async fn restart(&mut self) {
        let port = self.endpoint.rsplit(':').next().unwrap().to_owned();
        self.child = Command::new(binary())
            .args(["-H", "127.0.0.1", "-p", &port])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start moto_server");
        let client = reqwest::Client::new();
        for _ in 0..200 {
            let res = client
                .get(format!("{}/moto-api/", self.endpoint))
                .send()
                .await;
            if res.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("moto_server did not come back on {}", self.endpoint);
    }

    /// Points the app's AWS settings at this server.
    pub fn configure(&self, env: &mut TestEnv) {
        env.set("AWS_ENDPOINT_URL", self.endpoint.clone())
            .set("AWS_ACCESS_KEY_ID", "testing")
            .set("AWS_SECRET_ACCESS_KEY", "testing")
            .set("AWS_REGION", "ap-northeast-1");
    }

    pub async fn s3(&self) -> aws_sdk_s3::Client {
        let config = aws_sdk_s3::config::Builder::new()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(aws_sdk_s3::config::Region::new("ap-northeast-1"))
            .endpoint_url(&self.endpoint)
            .force_path_style(true)
            .credentials_provider(aws_sdk_s3::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .build();
        aws_sdk_s3::Client::from_conf(config)
    }

    /// Creates `bucket` in Tokyo; returns the S3 client.
    pub async fn bucket(&self, bucket: &str) -> aws_sdk_s3::Client {
        let s3 = self.s3().await;
        s3.create_bucket()
            .bucket(bucket)
            .create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::ApNortheast1)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        s3
    }

    /// Creates the SNS topic `name`; returns its ARN.
    pub async fn topic(&self, name: &str) -> String {
        let topic = self
            .sns()
            .await
            .create_topic()
            .name(name)
            .send()
            .await
            .unwrap();
        topic.topic_arn().unwrap().to_owned()
    }

    /// Sets `email` up as an SES sending identity (SES v2's REST API; moto
    /// does not check signatures).
    pub async fn ses_identity(&self, email: &str) {
        let res = reqwest::Client::new()
            .post(format!("{}/v2/email/identities", self.endpoint))
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20261207/ap-northeast-1/ses/aws4_request, SignedHeaders=host, Signature=0",
            )
            .json(&serde_json::json!({ "EmailIdentity": email }))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    }

    /// The mail SES sent, as (to, subject, body), oldest first.
    pub async fn mail(&self) -> Vec<(String, String, String)> {
        self.data().await["ses"]["Message"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .flat_map(|m| {
                let to: Vec<String> = m["destinations"]["ToAddresses"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|t| t.as_str().unwrap_or_default().to_owned())
                    .collect();
                let (subject, body) = (
                    m["subject"].as_str().unwrap_or_default().to_owned(),
                    m["body"].as_str().unwrap_or_default().to_owned(),
                );
                to.into_iter()
                    .map(move |t| (t, subject.clone(), body.clone()))
            })
            .collect()
    }

    pub async fn sns(&self) -> aws_sdk_sns::Client {
        let config = aws_sdk_sns::config::Builder::new()
            .behavior_version(aws_sdk_sns::config::BehaviorVersion::latest())
            .region(aws_sdk_sns::config::Region::new("ap-northeast-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_sdk_sns::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .build();
        aws_sdk_sns::Client::from_conf(config)
    }

    /// The SMS messages moto received, as (phone, message), oldest first.
    pub async fn sms(&self) -> Vec<(String, String)> {
        self.data().await["sns"]["SMS"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|m| {
                (
                    m["phone_number"].as_str().unwrap().to_owned(),
                    m["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// moto's record of everything it received.
    pub async fn data(&self) -> serde_json::Value {
        reqwest::get(format!("{}/moto-api/data.json", self.endpoint))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
