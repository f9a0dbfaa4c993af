package com.leakedkeybot.aws;

import com.leakedkeybot.investigation.AffectedResource;
import com.leakedkeybot.remediation.port.ResourceRemoval;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Removes each kind of resource the clean-up proposes, with the AWS class that knows it. */
public final class AttackerResourceRemoval implements ResourceRemoval {

    private static final Set<AffectedResource.Kind> KINDS = Set.of(AffectedResource.Kind.IAM_USER,
            AffectedResource.Kind.IAM_ACCESS_KEY, AffectedResource.Kind.IAM_LOGIN_PROFILE,
            AffectedResource.Kind.IAM_USER_POLICY_ATTACHMENT, AffectedResource.Kind.IAM_GROUP_MEMBERSHIP,
            AffectedResource.Kind.IAM_GROUP_POLICY_ATTACHMENT, AffectedResource.Kind.IAM_ROLE,
            AffectedResource.Kind.IAM_ROLE_POLICY_ATTACHMENT, AffectedResource.Kind.IAM_POLICY,
            AffectedResource.Kind.EC2_INSTANCE, AffectedResource.Kind.LAMBDA_FUNCTION);

    private final IamUserRemoval users;
    private final RoleRemoval roles;
    private final ManagedPolicyRemoval policies;
    private final InstanceTermination instances;
    private final FunctionRemoval functions;

    public AttackerResourceRemoval(IamClient iam, Function<String, Ec2Client> ec2InRegion,
                                   Function<String, LambdaClient> lambdaInRegion) {
        this.users = new IamUserRemoval(iam);
        this.roles = new RoleRemoval(iam);
        this.policies = new ManagedPolicyRemoval(iam);
        this.instances = new InstanceTermination(ec2InRegion);
        this.functions = new FunctionRemoval(lambdaInRegion);
    }

    @Override
    public boolean removable(AffectedResource.Kind kind) {
        return KINDS.contains(kind);
    }

    @Override
    public void remove(AffectedResource resource) {
        String id = resource.identifier();
        switch (resource.kind()) {
            case IAM_USER -> users.deleteUser(id);
            case IAM_ACCESS_KEY -> users.deleteAccessKey(resource.parent(), id);
            case IAM_LOGIN_PROFILE -> users.deleteLoginProfile(id);
            case IAM_USER_POLICY_ATTACHMENT -> users.detachPolicy(resource.parent(), id);
            case IAM_GROUP_MEMBERSHIP -> users.removeFromGroup(resource.parent(), id);
            case IAM_GROUP_POLICY_ATTACHMENT -> policies.detachFromGroup(resource.parent(), id);
            case IAM_ROLE -> roles.deleteRole(id);
            case IAM_ROLE_POLICY_ATTACHMENT -> roles.detachPolicy(resource.parent(), id);
            case IAM_POLICY -> policies.deletePolicy(id);
            case EC2_INSTANCE -> instances.terminate(resource.region(), id);
            case LAMBDA_FUNCTION -> functions.delete(resource.region(), id);
            default -> throw new IllegalArgumentException("no removal for " + resource.kind());
        }
    }

    @Override
    public boolean exists(AffectedResource resource) {
        String id = resource.identifier();
        return switch (resource.kind()) {
            case IAM_USER -> users.userExists(id);
            case IAM_ACCESS_KEY -> users.accessKeyExists(resource.parent(), id);
            case IAM_LOGIN_PROFILE -> users.loginProfileExists(id);
            case IAM_USER_POLICY_ATTACHMENT -> users.policyAttached(resource.parent(), id);
            case IAM_GROUP_MEMBERSHIP -> users.inGroup(resource.parent(), id);
            case IAM_GROUP_POLICY_ATTACHMENT -> policies.attachedToGroup(resource.parent(), id);
            case IAM_ROLE -> roles.exists(id);
            case IAM_ROLE_POLICY_ATTACHMENT -> roles.policyAttached(resource.parent(), id);
            case IAM_POLICY -> policies.policyExists(id);
            case EC2_INSTANCE -> instances.running(resource.region(), id);
            case LAMBDA_FUNCTION -> functions.exists(resource.region(), id);
            default -> throw new IllegalArgumentException("no removal for " + resource.kind());
        };
    }
}
